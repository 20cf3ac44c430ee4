package org.legodnn.core.latency;

import java.util.Arrays;

/**
 * A latency measured many times, reduced to what is robust against the odd slow run (a GC pause, another
 * process): the median, the 10th and 90th percentiles as the spread, and how many samples there were.
 *
 * <p>Percentiles interpolate linearly between the two nearest ranks of the sorted samples (position
 * {@code p × (n − 1)}, numpy's default), so the median of an even count is the mean of the middle two.
 *
 * @param medianMs median, milliseconds
 * @param p10Ms    10th percentile, milliseconds
 * @param p90Ms    90th percentile, milliseconds
 * @param samples  number of timed runs
 */
public record LatencyStats(double medianMs, double p10Ms, double p90Ms, int samples) {

    public LatencyStats {
        if (samples < 1) {
            throw new IllegalArgumentException("LatencyStats: " + samples + " samples (expected at least 1)");
        }
        if (!(medianMs >= 0 && p10Ms >= 0 && p90Ms >= 0) || !Double.isFinite(p90Ms)
                || !(p10Ms <= medianMs && medianMs <= p90Ms)) {
            throw new IllegalArgumentException("LatencyStats: p10 " + p10Ms + " ms, median " + medianMs + " ms, p90 "
                    + p90Ms + " ms (expected finite, non-negative and 0 <= p10 <= median <= p90)");
        }
    }

    /**
     * The statistics of {@code samplesMs} (milliseconds; the array is not changed).
     *
     * @throws IllegalArgumentException when there is no sample or one is negative, NaN or infinite
     */
    public static LatencyStats of(double[] samplesMs) {
        if (samplesMs.length == 0) {
            throw new IllegalArgumentException("LatencyStats.of: no samples (expected at least 1)");
        }
        double[] s = samplesMs.clone();
        for (int k = 0; k < s.length; k++) {
            if (!(s[k] >= 0) || !Double.isFinite(s[k])) {
                throw new IllegalArgumentException("LatencyStats.of: sample " + k + " is " + s[k]
                        + " ms (expected finite and non-negative)");
            }
        }
        Arrays.sort(s);
        double median = percentile(s, 0.5);
        // min/max only guard the order against a last-bit rounding of the interpolation
        return new LatencyStats(median, Math.min(percentile(s, 0.1), median), Math.max(percentile(s, 0.9), median),
                s.length);
    }

    /** Every figure multiplied by {@code factor} (finite, positive), the sample count kept. */
    public LatencyStats scaled(double factor) {
        if (!(factor > 0) || !Double.isFinite(factor)) {
            throw new IllegalArgumentException("LatencyStats.scaled: factor " + factor + " (expected finite and > 0)");
        }
        return new LatencyStats(medianMs * factor, p10Ms * factor, p90Ms * factor, samples);
    }

    /** The {@code p}-quantile (0..1) of ascending {@code sorted}, interpolated between the two nearest ranks. */
    static double percentile(double[] sorted, double p) {
        double pos = p * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        double frac = pos - lo;
        return frac == 0 ? sorted[lo] : sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
    }
}
