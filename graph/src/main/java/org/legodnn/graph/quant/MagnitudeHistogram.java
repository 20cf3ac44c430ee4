package org.legodnn.graph.quant;

import java.util.Arrays;

/**
 * The histogram that {@link PercentileObserver} and {@link EntropyObserver} build, kept in one place because the
 * range of a calibration run is not known in advance: it has {@value #BINS} equal bins of magnitudes over [0,
 * width], and when a later batch holds a larger magnitude the old counts are re-binned into a wider histogram, as
 * PyTorch's HistogramObserver and ONNX Runtime's calibrator do. Here the width doubles, as often as needed, with
 * each pair of old bins merged into one new bin, which makes the re-binning exact (no count is split between bins,
 * none is lost); the price is that the largest magnitude may lie anywhere in the upper half of the histogram, so
 * at worst only half of the bins are in use.
 *
 * <p>Bin b holds the magnitudes in [b, b + 1) bin widths, except the last, which also holds the width itself; a
 * magnitude equal to the width before a doubling therefore stays in the bin just below that edge.
 *
 * <p>The width starts as the largest magnitude of the first batch with one above 0. Until then every count is of
 * a 0, in bin 0, where it stays whatever the width becomes.
 */
final class MagnitudeHistogram {

    /** The number of bins (TensorRT's and ONNX Runtime's default). */
    static final int BINS = 2048;

    private final long[] counts = new long[BINS];
    private double width;
    private float max;
    private long total;

    /**
     * Widens the histogram, if needed, so that it covers {@code magnitude}; call it with the largest magnitude of
     * a batch before {@link #add}ing the batch.
     */
    void ensureCovers(float magnitude) {
        if (!(magnitude >= 0f && magnitude <= Float.MAX_VALUE)) {
            throw new IllegalArgumentException("magnitude must be finite and >= 0: " + magnitude);
        }
        if (magnitude <= width) {
            return;
        }
        if (width == 0) {
            width = magnitude;
            return;
        }
        while (width < magnitude) {
            for (int b = 0; b < BINS / 2; b++) {
                counts[b] = counts[2 * b] + counts[2 * b + 1];
            }
            Arrays.fill(counts, BINS / 2, BINS, 0L);
            width *= 2;
        }
    }

    /** Counts one magnitude, which must be finite, &gt;= 0 and covered (see {@link #ensureCovers}). */
    void add(float magnitude) {
        if (!(magnitude >= 0f && magnitude <= width)) {
            throw new IllegalArgumentException("magnitude " + magnitude + " is outside [0, " + width + "]");
        }
        int b = width == 0 ? 0 : (int) (magnitude * (BINS / width));
        counts[Math.min(b, BINS - 1)]++;
        max = Math.max(max, magnitude);
        total++;
    }

    /** The count of bin {@code b}. */
    long count(int b) {
        return counts[b];
    }

    /** How many magnitudes were added. */
    long total() {
        return total;
    }

    /** The largest magnitude added (0 if none). */
    float max() {
        return max;
    }

    /** The width of one bin (0 while every magnitude added was 0). */
    double binWidth() {
        return width / BINS;
    }

    /**
     * The magnitude below which {@code fraction} of the counts lie, interpolated linearly inside the bin where the
     * cumulative count reaches it, and never above {@link #max()}; within one bin width of the exact
     * (nearest-rank) quantile of the magnitudes added. 0 if nothing was added.
     *
     * @param fraction in (0, 1]
     */
    double quantile(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1]: " + fraction);
        }
        double target = fraction * total;
        double binWidth = binWidth();
        long cumulative = 0;
        for (int b = 0; b < BINS; b++) {
            long c = counts[b];
            if (c > 0 && cumulative + c >= target) {
                double inside = (target - cumulative) / c;
                return Math.min(binWidth * (b + inside), max);
            }
            cumulative += c;
        }
        return max;
    }
}
