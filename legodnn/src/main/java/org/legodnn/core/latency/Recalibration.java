package org.legodnn.core.latency;

import java.util.Arrays;

/**
 * LegoDNN's online latency recalibration: the offline profile was measured once, but at run time the device
 * may be busier, clocked differently or given fewer threads, so the live model's blocks are timed and every
 * offline figure is rescaled by how much slower (or faster) they turned out. One robust factor for the whole
 * profile, rather than one per block, keeps a single noisy block from distorting the optimizer's choices.
 *
 * <p>The rule, exactly: for each block {@code i} with descendant {@code s_i = selection[i]} live,
 * <ol>
 *   <li>{@code r_i = observedMs[i] / profile.blockMs(i, s_i)};</li>
 *   <li>{@code m = median(r)} and {@code MAD = median(|r_i − m|)} (medians of even counts average the middle
 *       two);</li>
 *   <li>{@code r_i} is kept when {@code |r_i − m| ≤ 2 × MAD} ({@link #MAD_LIMIT}). At least half the ratios lie
 *       within one MAD of the median, so something is always kept; when {@code MAD = 0} exactly the ratios
 *       equal to the median are kept — all of them when every ratio is equal. Nothing is divided by the
 *       spread, so no NaN can arise;</li>
 *   <li>{@code factor = mean of the kept r_i}, and the new profile is {@code profile.scaled(factor)}: every
 *       block statistic, the frame and the whole model multiplied by it. Relative drops are unchanged.</li>
 * </ol>
 *
 * <p>How the original differs: it takes per block the inverse ratio (estimated / measured), keeps the ratios
 * strictly within one standard deviation of their mean — which keeps none, and yields NaN, when every ratio
 * is equal — and divides only the whole model's latency by their mean; per option it then rescales each block
 * by that block's own measurement. Here one factor, found by a median-based rule that one wild block cannot
 * drag, scales everything, which keeps the profile self-consistent ({@link LatencyProfile#estimateMs} of the
 * all-original selection still equals frame plus blocks).
 */
public final class Recalibration {

    /** How many median absolute deviations from the median a kept ratio may lie. */
    public static final double MAD_LIMIT = 2.0;

    /**
     * A recalibrated profile and how it was found.
     *
     * @param profile the offline profile scaled by {@code factor}
     * @param factor  the mean of the kept ratios, observed / offline
     * @param ratios  per block, observed / offline for its live descendant
     * @param kept    per block, whether its ratio counted towards {@code factor}
     */
    public record Result(LatencyProfile profile, double factor, double[] ratios, boolean[] kept) {

        public Result {
            ratios = ratios.clone();
            kept = kept.clone();
        }

        @Override
        public double[] ratios() {
            return ratios.clone();
        }

        @Override
        public boolean[] kept() {
            return kept.clone();
        }

        /** How many blocks' ratios were kept. */
        public int keptCount() {
            int n = 0;
            for (boolean k : kept) {
                n += k ? 1 : 0;
            }
            return n;
        }
    }

    private Recalibration() {
    }

    /**
     * Rescales {@code offline} by the live per-block latencies (see the class comment for the rule).
     *
     * @param observedMs per block, the measured milliseconds of its currently selected descendant (e.g.
     *                   {@link LatencyProfiler#observe})
     * @param selection  per block, the index of that descendant
     * @throws IllegalArgumentException when either array has not one entry per block, an index is out of range,
     *                                  an observed latency is not finite and positive, or a profiled one is 0
     */
    public static Result scale(LatencyProfile offline, double[] observedMs, int[] selection) {
        int n = offline.blockCount();
        if (observedMs.length != n || selection.length != n) {
            throw new IllegalArgumentException("Recalibration.scale: " + observedMs.length + " observed latencies and "
                    + selection.length + " selection entries (expected one of each per block: " + n + ")");
        }
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            if (selection[i] < 0 || selection[i] >= offline.descendantCount(i)) {
                throw new IllegalArgumentException("Recalibration.scale: block " + i + " has "
                        + offline.descendantCount(i) + " descendants, selection asks for index " + selection[i]);
            }
            if (!(observedMs[i] > 0) || !Double.isFinite(observedMs[i])) {
                throw new IllegalArgumentException("Recalibration.scale: block " + i + " observed " + observedMs[i]
                        + " ms (expected finite and > 0)");
            }
            double profiled = offline.blockMs(i, selection[i]);
            if (!(profiled > 0)) {
                throw new IllegalArgumentException("Recalibration.scale: block " + i + " descendant " + selection[i]
                        + " profiled at " + profiled + " ms (expected > 0 to form a ratio)");
            }
            r[i] = observedMs[i] / profiled;
        }
        boolean[] kept = keep(r);
        double sum = 0;
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (kept[i]) {
                sum += r[i];
                count++;
            }
        }
        double factor = sum / count;
        return new Result(offline.scaled(factor), factor, r, kept);
    }

    /** Which of {@code ratios} lie within {@link #MAD_LIMIT} median absolute deviations of their median. */
    static boolean[] keep(double[] ratios) {
        double m = median(ratios);
        double[] dev = new double[ratios.length];
        for (int i = 0; i < ratios.length; i++) {
            dev[i] = Math.abs(ratios[i] - m);
        }
        double limit = MAD_LIMIT * median(dev);
        boolean[] kept = new boolean[ratios.length];
        for (int i = 0; i < ratios.length; i++) {
            kept[i] = dev[i] <= limit;
        }
        return kept;
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return LatencyStats.percentile(s, 0.5);
    }
}
