package org.legodnn.graph.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** TensorRT's KL-divergence threshold of {@link EntropyObserver} on distributions whose answer is known. */
class EntropyObserverTest {

    private static float[] gaussian(Random random, int n, double sigma) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (random.nextGaussian() * sigma);
        }
        return values;
    }

    /** Ten far outliers (at +-20 sigma) among 200 000 Gaussian values are clipped, the bulk is not. */
    @Test
    void gaussianWithOutliers() {
        double sigma = 0.5;
        Random random = new Random(1);
        float[] values = gaussian(random, 200_000, sigma);
        for (int k = 0; k < 10; k++) {
            values[random.nextInt(values.length)] = (float) ((k % 2 == 0 ? 20 : -20) * sigma);
        }
        EntropyObserver o = new EntropyObserver();
        o.observe(values, 0, values.length);
        float[] r = o.range();
        float t = r[1];
        assertEquals(-t, r[0]);
        assertTrue(t >= 2.5 * sigma, "threshold " + t + " clips the bulk of the Gaussian");
        assertTrue(t <= 10 * sigma, "threshold " + t + " is not well below the outliers at " + 20 * sigma);
    }

    /** The same data fed in batches (the histogram re-bins) gives a threshold in the same place. */
    @Test
    void gaussianInBatches() {
        Random random = new Random(5);
        EntropyObserver o = new EntropyObserver();
        for (int b = 0; b < 10; b++) {
            float[] batch = gaussian(random, 20_000, 1.0);
            if (b == 6) {
                batch[0] = 20f;
                batch[1] = -20f;
            }
            o.observe(batch, 0, batch.length);
        }
        float t = o.range()[1];
        assertTrue(t >= 2.5 && t <= 10, "threshold " + t);
    }

    /** Data with no negative value gets lo = 0. */
    @Test
    void allPositiveGivesLoZero() {
        float[] values = gaussian(new Random(2), 200_000, 1.0);
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.abs(values[i]);
        }
        EntropyObserver o = new EntropyObserver();
        o.observe(values, 0, values.length);
        float[] r = o.range();
        assertEquals(0f, r[0]);
        assertTrue(r[1] >= 2.5, "threshold " + r[1]);
    }

    /** A uniform distribution has no tail worth clipping: the threshold is near its max. */
    @Test
    void uniformKeepsItsMax() {
        Random random = new Random(3);
        float[] values = new float[200_000];
        float max = 0f;
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat() * 6 - 3;
            max = Math.max(max, Math.abs(values[i]));
        }
        EntropyObserver o = new EntropyObserver();
        o.observe(values, 0, values.length);
        float[] r = o.range();
        assertTrue(r[1] >= 0.95f * max && r[1] <= max, "threshold " + r[1] + ", max " + max);
        assertEquals(-r[1], r[0]);
    }

    /** With 128 bins every level is one bin, so Q is P and the divergence is 0. */
    @Test
    void divergenceOfAnUnquantizedCandidateIsZero() {
        double[] counts = new double[MagnitudeHistogram.BINS];
        for (int b = 0; b < 128; b++) {
            counts[b] = b % 3 == 0 ? 0 : 1 + b;
        }
        double[] p = new double[counts.length];
        double[] q = new double[counts.length];
        assertEquals(0.0, EntropyObserver.divergence(counts, 0, 128, p, q), 1e-12);
        assertTrue(EntropyObserver.divergence(counts, 0, 256, p, q) >= 0);
    }

    @Test
    void nonFiniteValuesAreIgnored() {
        EntropyObserver o = new EntropyObserver();
        float[] values = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.25f, 0.5f, 1f};
        o.observe(values, 0, values.length);
        float[] r = o.range();
        assertEquals(0f, r[0]);
        assertTrue(r[1] > 0f && r[1] <= 1f, "threshold " + r[1]);
        EntropyObserver onlyNaN = new EntropyObserver();
        onlyNaN.observe(new float[] {Float.NaN}, 0, 1);
        assertThrows(IllegalStateException.class, onlyNaN::range);
    }

    @Test
    void allZeros() {
        EntropyObserver o = new EntropyObserver();
        o.observe(new float[16], 0, 16);
        assertArrayEquals(new float[] {0f, 0f}, o.range());
    }

    @Test
    void nothingObserved() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new EntropyObserver().range());
        assertTrue(e.getMessage().endsWith("no values observed"), e.getMessage());
    }
}
