package org.legodnn.graph.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The running min and max of {@link MinMaxObserver} over several batches. */
class MinMaxObserverTest {

    @Test
    void mixedBatches() {
        MinMaxObserver o = new MinMaxObserver();
        o.observe(new float[] {1f, 2f, 3f}, 0, 3);
        assertArrayEquals(new float[] {0f, 3f}, o.range());
        o.observe(new float[] {-5f, 0.5f}, 0, 2);
        assertArrayEquals(new float[] {-5f, 3f}, o.range());
        // Only the slice counts: the 100s around it are not observed.
        o.observe(new float[] {100f, -2f, 4f, -100f}, 1, 2);
        assertArrayEquals(new float[] {-5f, 4f}, o.range());
    }

    @Test
    void rangeIncludesZero() {
        MinMaxObserver positive = new MinMaxObserver();
        positive.observe(new float[] {2f, 3f}, 0, 2);
        assertArrayEquals(new float[] {0f, 3f}, positive.range());
        MinMaxObserver negative = new MinMaxObserver();
        negative.observe(new float[] {-3f, -1f}, 0, 2);
        assertArrayEquals(new float[] {-3f, 0f}, negative.range());
        MinMaxObserver zeros = new MinMaxObserver();
        zeros.observe(new float[] {-0f, 0f}, 0, 2);
        float[] r = zeros.range();
        // +0.0 exactly, not -0.0 (assertArrayEquals tells them apart).
        assertArrayEquals(new float[] {0f, 0f}, r);
    }

    @Test
    void nonFiniteValuesAreIgnored() {
        MinMaxObserver o = new MinMaxObserver();
        o.observe(new float[] {Float.NaN, 1f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -2f}, 0, 5);
        assertArrayEquals(new float[] {-2f, 1f}, o.range());
        MinMaxObserver onlyNaN = new MinMaxObserver();
        onlyNaN.observe(new float[] {Float.NaN, Float.POSITIVE_INFINITY}, 0, 2);
        assertThrows(IllegalStateException.class, onlyNaN::range);
    }

    @Test
    void nothingObserved() {
        MinMaxObserver o = new MinMaxObserver();
        IllegalStateException e = assertThrows(IllegalStateException.class, o::range);
        assertTrue(e.getMessage().endsWith("no values observed"), e.getMessage());
        o.observe(new float[] {7f}, 1, 0);
        assertThrows(IllegalStateException.class, o::range);
    }

    @Test
    void sliceMustBeInside() {
        MinMaxObserver o = new MinMaxObserver();
        assertThrows(IndexOutOfBoundsException.class, () -> o.observe(new float[3], 2, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> o.observe(new float[3], -1, 1));
    }
}
