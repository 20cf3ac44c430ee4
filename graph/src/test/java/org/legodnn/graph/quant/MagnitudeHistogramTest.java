package org.legodnn.graph.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The growing histogram shared by the percentile and entropy observers. */
class MagnitudeHistogramTest {

    private static long sum(MagnitudeHistogram h) {
        long s = 0;
        for (int b = 0; b < MagnitudeHistogram.BINS; b++) {
            s += h.count(b);
        }
        return s;
    }

    /** Doubling the width merges pairs of bins: the counts are those of a histogram built wide from the start. */
    @Test
    void rebinningIsExact() {
        Random random = new Random(3);
        float[] values = new float[10_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat();
        }
        MagnitudeHistogram grown = new MagnitudeHistogram();
        grown.ensureCovers(1f);
        for (float v : values) {
            grown.add(v);
        }
        assertEquals(1.0 / 2048, grown.binWidth());
        grown.ensureCovers(3f);
        assertEquals(4.0 / 2048, grown.binWidth());
        assertEquals(values.length, grown.total());
        assertEquals(values.length, sum(grown));

        MagnitudeHistogram wide = new MagnitudeHistogram();
        wide.ensureCovers(4f);
        for (float v : values) {
            wide.add(v);
        }
        for (int b = 0; b < MagnitudeHistogram.BINS; b++) {
            assertEquals(wide.count(b), grown.count(b), "bin " + b);
        }
        // The last bin is closed: a magnitude equal to the old width stays below that edge after doubling.
        MagnitudeHistogram edge = new MagnitudeHistogram();
        edge.ensureCovers(1f);
        edge.add(1f);
        edge.ensureCovers(2f);
        assertEquals(1, edge.count(MagnitudeHistogram.BINS / 2 - 1));
    }

    /** Many doublings at once (1 to 1000) keep every count. */
    @Test
    void largeJumpKeepsTheTotal() {
        MagnitudeHistogram h = new MagnitudeHistogram();
        h.ensureCovers(1f);
        for (int i = 0; i <= 1000; i++) {
            h.add(i / 1000f);
        }
        h.ensureCovers(1000f);
        h.add(1000f);
        assertEquals(1002, h.total());
        assertEquals(1002, sum(h));
        assertEquals(1024.0 / 2048, h.binWidth());
        assertEquals(1000f, h.max());
        assertEquals(1, h.count(2000));
    }

    /** Zeros counted before any positive magnitude stay in bin 0 when the width is set. */
    @Test
    void zerosBeforeTheFirstWidth() {
        MagnitudeHistogram h = new MagnitudeHistogram();
        h.ensureCovers(0f);
        h.add(0f);
        h.add(0f);
        assertEquals(0.0, h.binWidth());
        h.ensureCovers(5f);
        h.add(5f);
        assertEquals(2, h.count(0));
        assertEquals(1, h.count(MagnitudeHistogram.BINS - 1));
        assertEquals(3, h.total());
        assertEquals(5.0, h.quantile(1.0));
    }

    @Test
    void rejectsUncoveredMagnitudes() {
        MagnitudeHistogram h = new MagnitudeHistogram();
        h.ensureCovers(1f);
        assertThrows(IllegalArgumentException.class, () -> h.add(2f));
        assertThrows(IllegalArgumentException.class, () -> h.add(Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> h.ensureCovers(Float.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> h.quantile(0));
    }
}
