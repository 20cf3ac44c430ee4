package org.legodnn.graph.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Percentile clipping of {@link PercentileObserver} against exact percentiles of the same data. */
class PercentileObserverTest {

    private static float[] uniform(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextFloat();
        }
        return values;
    }

    /** One outlier at 1000 among 100 000 values in [0, 1), in the same batch: hi is within a bin of 1. */
    @Test
    void outlierInTheSameBatchIsClipped() {
        float[] values = Arrays.copyOf(uniform(new Random(1), 100_000), 100_001);
        values[100_000] = 1000f;
        PercentileObserver o = new PercentileObserver();
        o.observe(values, 0, values.length);
        float[] r = o.range();
        assertEquals(0f, r[0]);
        // The histogram's width is the batch's max, 1000.
        assertEquals(1f, r[1], 1000.0 / MagnitudeHistogram.BINS);
    }

    /** The same with the outlier in a later batch, which re-bins the histogram (width 1 doubled to 1024). */
    @Test
    void outlierInALaterBatchIsClipped() {
        float[] values = uniform(new Random(2), 100_000);
        PercentileObserver o = new PercentileObserver();
        o.observe(values, 0, values.length);
        assertEquals(1f, o.range()[1], 1.0 / MagnitudeHistogram.BINS);
        o.observe(new float[] {1000f}, 0, 1);
        float[] r = o.range();
        assertEquals(0f, r[0]);
        assertEquals(1f, r[1], 1024.0 / MagnitudeHistogram.BINS);
        // Percentile 100 would be min-max.
        PercentileObserver all = new PercentileObserver(100);
        all.observe(values, 0, values.length);
        all.observe(new float[] {1000f}, 0, 1);
        assertArrayEquals(new float[] {0f, 1000f}, all.range());
    }

    /**
     * On Gaussian data fed in batches of growing spread (so that both histograms re-bin), each end is within one
     * bin width of the exact nearest-rank percentile of its side.
     */
    @Test
    void matchesSortedPercentilesWithinOneBin() {
        Random random = new Random(7);
        int batches = 5;
        int size = 20_000;
        float[] all = new float[batches * size];
        for (int i = 0; i < all.length; i++) {
            all[i] = (float) (random.nextGaussian() * (1 + i / size) + 0.3);
        }
        for (double percentile : new double[] {50, 90, 99, 99.9, 99.99, 100}) {
            PercentileObserver o = new PercentileObserver(percentile);
            MagnitudeHistogram positiveWidth = new MagnitudeHistogram();
            MagnitudeHistogram negativeWidth = new MagnitudeHistogram();
            for (int b = 0; b < batches; b++) {
                o.observe(all, b * size, size);
                // The same widening as the observer's histograms, for the bin widths.
                float positiveMax = 0f;
                float negativeMax = 0f;
                for (int i = b * size; i < (b + 1) * size; i++) {
                    positiveMax = Math.max(positiveMax, all[i]);
                    negativeMax = Math.max(negativeMax, -all[i]);
                }
                positiveWidth.ensureCovers(positiveMax);
                negativeWidth.ensureCovers(negativeMax);
            }
            float[] r = o.range();
            double[] positives = Arrays.stream(toDoubles(all)).filter(x -> x > 0).sorted().toArray();
            double[] negatives = Arrays.stream(toDoubles(all)).filter(x -> x < 0).map(x -> -x).sorted().toArray();
            assertEquals(nearestRank(positives, percentile), r[1], positiveWidth.binWidth(), "hi at " + percentile);
            assertEquals(-nearestRank(negatives, percentile), r[0], negativeWidth.binWidth(), "lo at " + percentile);
        }
    }

    private static double[] toDoubles(float[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = values[i];
        }
        return d;
    }

    /** The smallest value with at least {@code percentile}% of the sorted values at or below it. */
    private static double nearestRank(double[] sorted, double percentile) {
        int rank = (int) Math.ceil(percentile / 100 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    /** Post-ReLU data: no negatives gives lo = 0, and the many zeros do not drag hi towards 0. */
    @Test
    void zerosAndPositivesGiveLoZero() {
        float[] values = uniform(new Random(4), 100_000);
        for (int i = 0; i < values.length; i += 2) {
            values[i] = 0f;
        }
        PercentileObserver median = new PercentileObserver(50);
        median.observe(values, 0, values.length);
        float[] r = median.range();
        assertEquals(0f, r[0]);
        assertEquals(0.5f, r[1], 0.01f);
    }

    @Test
    void asymmetricSides() {
        float[] values = {-1f, -0.5f, 0f, 1f, 2f, 4f};
        PercentileObserver o = new PercentileObserver(100);
        o.observe(values, 0, values.length);
        assertArrayEquals(new float[] {-1f, 4f}, o.range());
    }

    @Test
    void nonFiniteValuesAreIgnored() {
        PercentileObserver o = new PercentileObserver(100);
        o.observe(new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.5f, -0.25f}, 0, 5);
        assertArrayEquals(new float[] {-0.25f, 0.5f}, o.range());
        PercentileObserver onlyNaN = new PercentileObserver();
        onlyNaN.observe(new float[] {Float.NaN, Float.NEGATIVE_INFINITY}, 0, 2);
        assertThrows(IllegalStateException.class, onlyNaN::range);
    }

    @Test
    void allZeros() {
        PercentileObserver o = new PercentileObserver();
        o.observe(new float[8], 0, 8);
        assertArrayEquals(new float[] {0f, 0f}, o.range());
    }

    @Test
    void nothingObserved() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new PercentileObserver().range());
        assertTrue(e.getMessage().endsWith("no values observed"), e.getMessage());
    }

    @Test
    void rejectsBadPercentiles() {
        for (double p : new double[] {0, -1, 100.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new PercentileObserver(p));
            assertTrue(e.getMessage().contains(String.valueOf(p)), e.getMessage());
        }
        assertEquals(99.99, new PercentileObserver().percentile());
    }
}
