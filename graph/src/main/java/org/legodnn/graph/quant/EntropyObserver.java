package org.legodnn.graph.quant;

import java.util.Objects;

/**
 * Chooses the clipping threshold that loses the least information when the activations are squeezed into 8 bits,
 * rather than one that merely covers them: TensorRT's entropy calibration (IInt8EntropyCalibrator, the "entropy"
 * method of ONNX Runtime's quantize_static), which minimizes the KL divergence between the observed distribution
 * of |x| and its quantized version.
 *
 * <p>The magnitudes go into a {@link MagnitudeHistogram} of {@value MagnitudeHistogram#BINS} bins. For every
 * candidate threshold of i bins, i from {@value #LEVELS} to {@value MagnitudeHistogram#BINS}:
 * <ol>
 *   <li>the reference distribution P is the first i bins, with the counts of the bins beyond i (the values that
 *       the threshold clips) added to the last of them;</li>
 *   <li>the first i bins, without the clipped counts, are merged into {@value #LEVELS} levels (level j takes bins
 *       [j&middot;i/128, (j+1)&middot;i/128), so that the sizes differ by at most one bin where MXNet's and
 *       ONNX Runtime's reference code give the last level all the remainder), and each level is expanded back
 *       over its bins, its count spread evenly over those where P is not 0, giving Q;</li>
 *   <li>zeros in P and Q are smoothed away (each zero gets &epsilon; = 1e-4 of a count, taken evenly from the
 *       nonzero bins, as in that reference code; &epsilon; shrinks if a nonzero bin has too little to give), both
 *       are normalized and KL(P||Q) is computed.</li>
 * </ol>
 * The first bin counts as much as the second, so that the exact zeros of post-ReLU tensors do not decide the
 * search. The threshold is the upper edge of the last bin of the candidate with the smallest divergence (the first on a
 * tie), but never above the largest magnitude observed. The range is [-t, t] if any negative value was observed,
 * else [0, t] (post-ReLU activations need no negative levels).
 */
public final class EntropyObserver implements RangeObserver {

    /** The quantized levels of a magnitude: 128, those of int8 (256 for tensors without negatives, as uint8). */
    static final int LEVELS = 128;

    private static final double EPSILON = 1e-4;

    private final MagnitudeHistogram histogram = new MagnitudeHistogram();
    private boolean negatives;
    private float threshold = Float.NaN;

    @Override
    public void observe(float[] values, int off, int len) {
        Objects.checkFromIndexSize(off, len, values.length);
        float batchMax = 0f;
        for (int i = off; i < off + len; i++) {
            float x = values[i];
            if (Float.isFinite(x)) {
                batchMax = Math.max(batchMax, Math.abs(x));
                negatives |= x < 0f;
            }
        }
        histogram.ensureCovers(batchMax);
        for (int i = off; i < off + len; i++) {
            float x = values[i];
            if (Float.isFinite(x)) {
                histogram.add(Math.abs(x));
            }
        }
        threshold = Float.NaN;
    }

    @Override
    public float[] range() {
        if (histogram.total() == 0) {
            throw new IllegalStateException("EntropyObserver: no values observed");
        }
        float t = threshold();
        return new float[] {negatives && t > 0f ? -t : 0f, t};
    }

    /** The threshold t on |x| (computed once per state of the histogram). */
    float threshold() {
        if (Float.isNaN(threshold)) {
            threshold = histogram.max() == 0f ? 0f : search();
        }
        return threshold;
    }

    private float search() {
        int bins = MagnitudeHistogram.BINS;
        double[] counts = new double[bins];
        for (int b = 0; b < bins; b++) {
            counts[b] = histogram.count(b);
        }
        // Post-ReLU tensors are half exact zeros: that spike in the first bin would decide the divergence alone and
        // pull the threshold far down (a ResNet-20 lost 29 points of accuracy). As NVIDIA's pytorch-quantization
        // does, the first bin counts as much as the second.
        counts[0] = counts[1];
        double[] beyond = new double[bins + 1];
        for (int b = bins - 1; b >= 0; b--) {
            beyond[b] = beyond[b + 1] + counts[b];
        }
        double[] p = new double[bins];
        double[] q = new double[bins];
        int best = bins;
        double bestDivergence = Double.POSITIVE_INFINITY;
        // A tensor without negatives is stored as uint8 over [0, t]: all 256 levels cover its magnitudes.
        int levels = negatives ? LEVELS : 2 * LEVELS;
        for (int i = levels; i <= bins; i++) {
            double divergence = divergence(counts, beyond[i], i, levels, p, q);
            if (divergence < bestDivergence) {
                bestDivergence = divergence;
                best = i;
            }
        }
        return (float) Math.min(best * histogram.binWidth(), histogram.max());
    }

    /**
     * KL(P||Q) of the candidate threshold of {@code i} bins; {@code p} and {@code q} are scratch arrays. Infinite
     * if the first i bins hold no count (every value is clipped).
     */
    static double divergence(double[] counts, double clipped, int i, double[] p, double[] q) {
        return divergence(counts, clipped, i, LEVELS, p, q);
    }

    /** {@link #divergence(double[], double, int, double[], double[])} with {@code levels} quantized levels. */
    static double divergence(double[] counts, double clipped, int i, int levels, double[] p, double[] q) {
        System.arraycopy(counts, 0, p, 0, i);
        p[i - 1] += clipped;
        for (int j = 0; j < levels; j++) {
            int start = (int) ((long) j * i / levels);
            int end = (int) ((long) (j + 1) * i / levels);
            double level = 0;
            int nonzero = 0;
            for (int b = start; b < end; b++) {
                level += counts[b];
                if (p[b] != 0) {
                    nonzero++;
                }
            }
            double share = nonzero == 0 ? 0 : level / nonzero;
            for (int b = start; b < end; b++) {
                q[b] = p[b] != 0 ? share : 0;
            }
        }
        if (!smooth(p, i) || !smooth(q, i)) {
            return Double.POSITIVE_INFINITY;
        }
        double pSum = 0;
        double qSum = 0;
        for (int b = 0; b < i; b++) {
            pSum += p[b];
            qSum += q[b];
        }
        double kl = 0;
        for (int b = 0; b < i; b++) {
            double pb = p[b] / pSum;
            kl += pb * Math.log(pb / (q[b] / qSum));
        }
        return kl;
    }

    /**
     * Replaces the zeros of {@code d[0 .. n)} with &epsilon; and takes the same total evenly from the nonzero
     * entries, shrinking &epsilon; so that each keeps at least half of its count; false if all entries are 0.
     */
    private static boolean smooth(double[] d, int n) {
        int zeros = 0;
        double smallest = Double.POSITIVE_INFINITY;
        for (int b = 0; b < n; b++) {
            if (d[b] == 0) {
                zeros++;
            } else {
                smallest = Math.min(smallest, d[b]);
            }
        }
        int nonzeros = n - zeros;
        if (nonzeros == 0) {
            return false;
        }
        if (zeros == 0) {
            return true;
        }
        double eps = Math.min(EPSILON, smallest / 2 * nonzeros / zeros);
        double taken = eps * zeros / nonzeros;
        for (int b = 0; b < n; b++) {
            d[b] = d[b] == 0 ? eps : d[b] - taken;
        }
        return true;
    }
}
