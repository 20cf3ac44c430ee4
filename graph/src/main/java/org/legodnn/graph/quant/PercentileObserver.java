package org.legodnn.graph.quant;

import java.util.Objects;

/**
 * Clips the rare extreme values that would make min-max's range, and so its quantization step, needlessly wide:
 * the range ends at a percentile (by default {@value #DEFAULT_PERCENTILE}) of the magnitudes observed, read from
 * histograms of {@value MagnitudeHistogram#BINS} bins that grow with the data (see {@link MagnitudeHistogram}).
 *
 * <p>The two signs are kept apart, in two histograms: one of the positive values and one of the magnitudes of the
 * negative ones. hi is the percentile of the positive values and lo is minus the percentile of the negative
 * magnitudes, each taken over its own side only. An asymmetric distribution thus keeps an asymmetric range, and
 * one with no negative values at all (a post-ReLU activation) gets lo = 0 exactly, as min-max would give it,
 * where a single histogram of |x| would waste half of the uint8 levels on negatives that never occur. Zeros belong
 * to neither side: they are always representable, so they count as observed values but do not pull either
 * percentile towards 0. A side with no values has its end at 0.
 *
 * <p>Percentiles are interpolated inside a bin, so each end is within one bin width of the exact nearest-rank
 * percentile of its side, and never beyond the largest magnitude of that side.
 */
public final class PercentileObserver implements RangeObserver {

    /** The default percentile: one value in ten thousand is clipped. */
    public static final double DEFAULT_PERCENTILE = 99.99;

    private final double percentile;
    private final MagnitudeHistogram positives = new MagnitudeHistogram();
    private final MagnitudeHistogram negatives = new MagnitudeHistogram();
    private long zeros;

    /** Clips at the {@value #DEFAULT_PERCENTILE}th percentile. */
    public PercentileObserver() {
        this(DEFAULT_PERCENTILE);
    }

    /**
     * Clips at the given percentile of each side's magnitudes; 100 gives the largest magnitude of each side, that
     * is min-max.
     *
     * @param percentile in (0, 100]
     */
    public PercentileObserver(double percentile) {
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + percentile);
        }
        this.percentile = percentile;
    }

    /** The percentile at which this observer clips. */
    public double percentile() {
        return percentile;
    }

    @Override
    public void observe(float[] values, int off, int len) {
        Objects.checkFromIndexSize(off, len, values.length);
        float positiveMax = 0f;
        float negativeMax = 0f;
        for (int i = off; i < off + len; i++) {
            float x = values[i];
            if (x > 0f && x <= Float.MAX_VALUE) {
                positiveMax = Math.max(positiveMax, x);
            } else if (x < 0f && x >= -Float.MAX_VALUE) {
                negativeMax = Math.max(negativeMax, -x);
            }
        }
        positives.ensureCovers(positiveMax);
        negatives.ensureCovers(negativeMax);
        for (int i = off; i < off + len; i++) {
            float x = values[i];
            if (!Float.isFinite(x)) {
                continue;
            }
            if (x > 0f) {
                positives.add(x);
            } else if (x < 0f) {
                negatives.add(-x);
            } else {
                zeros++;
            }
        }
    }

    @Override
    public float[] range() {
        if (positives.total() == 0 && negatives.total() == 0 && zeros == 0) {
            throw new IllegalStateException("PercentileObserver: no values observed");
        }
        float hi = end(positives);
        float lo = end(negatives);
        return new float[] {lo > 0f ? -lo : 0f, hi};
    }

    private float end(MagnitudeHistogram side) {
        return side.total() == 0 ? 0f : (float) side.quantile(percentile / 100);
    }
}
