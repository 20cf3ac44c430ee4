package org.legodnn.kernels.elementwise;

import java.util.function.IntConsumer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.legodnn.kernels.Parallel;

/**
 * BatchNorm over NCHW activations, training and inference, with its gradient: every network in the model
 * zoo normalizes after each convolution, so this must be both fast and as exact as PyTorch's.
 *
 * <p>Channels are independent and spread over threads; within a channel the {@code n} planes of
 * {@code hw} contiguous values are processed with vectors. Sums run in float vectors over blocks of
 * {@value #BLOCK} values and are carried across blocks in double, so a batch of a million values per
 * channel loses no more accuracy than a block of a thousand. The variance is taken in a second pass around
 * the mean, never as {@code E[x²] − mean²}. {@code gamma}/{@code beta} may be null (no affine transform:
 * treated as 1 and 0); the gradients {@code gx}, {@code gGamma} and {@code gBeta} may each be null when the
 * caller does not want them.
 */
public final class BatchNormKernel {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    /** Values summed in float before the running total moves to double; a multiple of any vector length. */
    private static final int BLOCK = 1024;

    /** Channels are handed to threads in groups of at least this many values. */
    private static final int MIN_PARALLEL_WORK = 1 << 14;

    private BatchNormKernel() {
    }

    /**
     * Normalizes each channel with its batch mean and biased variance over {@code n·hw} values, writing
     * {@code mean[c]} and {@code invStd[c] = 1/sqrt(var + eps)}; {@code y = gamma·(x − mean)·invStd + beta}.
     */
    public static void trainForward(int n, int c, int hw, float[] x, float[] gamma, float[] beta, float eps,
                                    float[] y, float[] mean, float[] invStd) {
        checkActivations("batchNormTrain", n, c, hw, x, "y", y);
        checkChannels("batchNormTrain", c, false, gamma, beta);
        checkChannels("batchNormTrain", c, true, mean, invStd);
        int count = n * hw;
        forChannels(n, c, hw, ch -> {
            double total = 0;
            for (int i = 0; i < n; i++) {
                total += sum(x, (i * c + ch) * hw, hw);
            }
            float mu = (float) (total / count);
            double squares = 0;
            for (int i = 0; i < n; i++) {
                squares += squaredDeviations(x, (i * c + ch) * hw, hw, mu);
            }
            float is = (float) (1.0 / Math.sqrt(squares / count + eps));
            mean[ch] = mu;
            invStd[ch] = is;
            float scale = gamma == null ? is : gamma[ch] * is;
            float shift = beta == null ? 0f : beta[ch];
            for (int i = 0; i < n; i++) {
                normalize(x, y, (i * c + ch) * hw, hw, mu, scale, shift);
            }
        });
    }

    /** {@code y = gamma·(x − runningMean)/sqrt(runningVar + eps) + beta}. */
    public static void evalForward(int n, int c, int hw, float[] x, float[] gamma, float[] beta,
                                   float[] runningMean, float[] runningVar, float eps, float[] y) {
        checkActivations("batchNormEval", n, c, hw, x, "y", y);
        checkChannels("batchNormEval", c, false, gamma, beta);
        checkChannels("batchNormEval", c, true, runningMean, runningVar);
        forChannels(n, c, hw, ch -> {
            float is = (float) (1.0 / Math.sqrt((double) runningVar[ch] + eps));
            float scale = gamma == null ? is : gamma[ch] * is;
            float shift = beta == null ? 0f : beta[ch];
            for (int i = 0; i < n; i++) {
                normalize(x, y, (i * c + ch) * hw, hw, runningMean[ch], scale, shift);
            }
        });
    }

    /**
     * The gradient. {@code mean}/{@code invStd} are what {@link #trainForward} wrote ({@code training}), or
     * the running mean and {@code 1/sqrt(runningVar + eps)} (not training). With {@code xhat = (x − mean)·invStd}
     * and {@code M = n·hw}: {@code gGamma = Σ gy·xhat}, {@code gBeta = Σ gy}; in training
     * {@code gx = gamma·invStd/M · (M·gy − Σ gy − xhat·Σ gy·xhat)}, otherwise {@code gx = gy·gamma·invStd}.
     */
    public static void backward(int n, int c, int hw, float[] x, float[] gy, float[] gamma, float[] mean,
                                float[] invStd, boolean training, float[] gx, float[] gGamma, float[] gBeta) {
        checkActivations("batchNormBackward", n, c, hw, x, "gy", gy);
        if (gx != null) {
            checkActivations("batchNormBackward", n, c, hw, x, "gx", gx);
        }
        checkChannels("batchNormBackward", c, false, gamma, gGamma, gBeta);
        checkChannels("batchNormBackward", c, true, mean, invStd);
        int count = n * hw;
        forChannels(n, c, hw, ch -> {
            float mu = mean[ch];
            float is = invStd[ch];
            double[] sums = new double[2];
            for (int i = 0; i < n; i++) {
                sumAndDotDeviations(gy, x, (i * c + ch) * hw, hw, mu, sums);
            }
            double sumGy = sums[0];
            double sumGyDx = sums[1];
            double sumGyXhat = sumGyDx * is;
            if (gGamma != null) {
                gGamma[ch] = (float) sumGyXhat;
            }
            if (gBeta != null) {
                gBeta[ch] = (float) sumGy;
            }
            if (gx == null) {
                return;
            }
            float k = gamma == null ? is : gamma[ch] * is;
            // training: gx = k·(gy − Σgy/M) − (x − mean)·k·invStd·Σ(gy·xhat)/M; eval: the last two terms vanish
            float gyShift = training ? (float) (sumGy / count) : 0f;
            float xCoef = training ? (float) ((double) k * is * sumGyXhat / count) : 0f;
            for (int i = 0; i < n; i++) {
                inputGradient(x, gy, gx, (i * c + ch) * hw, hw, mu, k, gyShift, xCoef);
            }
        });
    }

    // ---- vector loops over one plane -------------------------------------------------------------------

    /**
     * {@code Σ a[off .. off+len)}, in float per block and double across blocks. Each loop below keeps four
     * vector sums apart (lanes {@code i mod 4·VL}): with one, every add waits for the previous one, and a plane
     * that the cache serves in one cycle per vector took four.
     */
    private static double sum(float[] a, int off, int len) {
        int vl = SPECIES.length();
        double total = 0;
        for (int b = 0; b < len; b += BLOCK) {
            int end = Math.min(len, b + BLOCK);
            FloatVector a0 = FloatVector.zero(SPECIES);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            int i = b;
            for (int last = end - 4 * vl; i <= last; i += 4 * vl) {
                a0 = a0.add(FloatVector.fromArray(SPECIES, a, off + i));
                a1 = a1.add(FloatVector.fromArray(SPECIES, a, off + i + vl));
                a2 = a2.add(FloatVector.fromArray(SPECIES, a, off + i + 2 * vl));
                a3 = a3.add(FloatVector.fromArray(SPECIES, a, off + i + 3 * vl));
            }
            for (int last = end - vl; i <= last; i += vl) {
                a0 = a0.add(FloatVector.fromArray(SPECIES, a, off + i));
            }
            float s = a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
            for (; i < end; i++) {
                s += a[off + i];
            }
            total += s;
        }
        return total;
    }

    /** {@code Σ (x − mu)²} over one plane, in four vector sums as {@link #sum}. */
    private static double squaredDeviations(float[] x, int off, int len, float mu) {
        int vl = SPECIES.length();
        double total = 0;
        FloatVector m = FloatVector.broadcast(SPECIES, mu);
        for (int b = 0; b < len; b += BLOCK) {
            int end = Math.min(len, b + BLOCK);
            FloatVector a0 = FloatVector.zero(SPECIES);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            int i = b;
            for (int last = end - 4 * vl; i <= last; i += 4 * vl) {
                FloatVector d0 = FloatVector.fromArray(SPECIES, x, off + i).sub(m);
                FloatVector d1 = FloatVector.fromArray(SPECIES, x, off + i + vl).sub(m);
                FloatVector d2 = FloatVector.fromArray(SPECIES, x, off + i + 2 * vl).sub(m);
                FloatVector d3 = FloatVector.fromArray(SPECIES, x, off + i + 3 * vl).sub(m);
                a0 = d0.fma(d0, a0);
                a1 = d1.fma(d1, a1);
                a2 = d2.fma(d2, a2);
                a3 = d3.fma(d3, a3);
            }
            for (int last = end - vl; i <= last; i += vl) {
                FloatVector d = FloatVector.fromArray(SPECIES, x, off + i).sub(m);
                a0 = d.fma(d, a0);
            }
            float s = a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
            for (; i < end; i++) {
                float d = x[off + i] - mu;
                s += d * d;
            }
            total += s;
        }
        return total;
    }

    /**
     * {@code sums[0] += Σ gy} and {@code sums[1] += Σ gy·(x − mu)} over one plane, in one pass over both
     * planes (two passes read {@code gy} twice), each in four vector sums as {@link #sum}.
     */
    private static void sumAndDotDeviations(float[] gy, float[] x, int off, int len, float mu, double[] sums) {
        int vl = SPECIES.length();
        FloatVector m = FloatVector.broadcast(SPECIES, mu);
        for (int b = 0; b < len; b += BLOCK) {
            int end = Math.min(len, b + BLOCK);
            FloatVector g0 = FloatVector.zero(SPECIES);
            FloatVector g1 = g0;
            FloatVector g2 = g0;
            FloatVector g3 = g0;
            FloatVector d0 = g0;
            FloatVector d1 = g0;
            FloatVector d2 = g0;
            FloatVector d3 = g0;
            int i = b;
            for (int last = end - 4 * vl; i <= last; i += 4 * vl) {
                FloatVector y0 = FloatVector.fromArray(SPECIES, gy, off + i);
                FloatVector y1 = FloatVector.fromArray(SPECIES, gy, off + i + vl);
                FloatVector y2 = FloatVector.fromArray(SPECIES, gy, off + i + 2 * vl);
                FloatVector y3 = FloatVector.fromArray(SPECIES, gy, off + i + 3 * vl);
                g0 = g0.add(y0);
                g1 = g1.add(y1);
                g2 = g2.add(y2);
                g3 = g3.add(y3);
                d0 = FloatVector.fromArray(SPECIES, x, off + i).sub(m).fma(y0, d0);
                d1 = FloatVector.fromArray(SPECIES, x, off + i + vl).sub(m).fma(y1, d1);
                d2 = FloatVector.fromArray(SPECIES, x, off + i + 2 * vl).sub(m).fma(y2, d2);
                d3 = FloatVector.fromArray(SPECIES, x, off + i + 3 * vl).sub(m).fma(y3, d3);
            }
            for (int last = end - vl; i <= last; i += vl) {
                FloatVector y0 = FloatVector.fromArray(SPECIES, gy, off + i);
                g0 = g0.add(y0);
                d0 = FloatVector.fromArray(SPECIES, x, off + i).sub(m).fma(y0, d0);
            }
            float sg = g0.add(g1).add(g2.add(g3)).reduceLanes(VectorOperators.ADD);
            float sd = d0.add(d1).add(d2.add(d3)).reduceLanes(VectorOperators.ADD);
            for (; i < end; i++) {
                sg += gy[off + i];
                sd += (x[off + i] - mu) * gy[off + i];
            }
            sums[0] += sg;
            sums[1] += sd;
        }
    }

    /**
     * {@code y = x·scale + (shift − mu·scale)} over one plane: PyTorch's order of operations (a multiply and
     * an add, not fused), so that values near a later ReLU's kink round the same way.
     */
    private static void normalize(float[] x, float[] y, int off, int len, float mu, float scale, float shift) {
        float bias = shift - mu * scale;
        FloatVector sc = FloatVector.broadcast(SPECIES, scale);
        FloatVector b = FloatVector.broadcast(SPECIES, bias);
        int bound = SPECIES.loopBound(len);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, x, off + i).mul(sc).add(b).intoArray(y, off + i);
        }
        for (; i < len; i++) {
            y[off + i] = x[off + i] * scale + bias;
        }
    }

    /** {@code gx = (gy − gyShift)·k − (x − mu)·xCoef} over one plane. */
    private static void inputGradient(float[] x, float[] gy, float[] gx, int off, int len, float mu, float k,
                                      float gyShift, float xCoef) {
        FloatVector m = FloatVector.broadcast(SPECIES, mu);
        FloatVector kv = FloatVector.broadcast(SPECIES, k);
        FloatVector shift = FloatVector.broadcast(SPECIES, gyShift);
        FloatVector negCoef = FloatVector.broadcast(SPECIES, -xCoef);
        int bound = SPECIES.loopBound(len);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector g = FloatVector.fromArray(SPECIES, gy, off + i).sub(shift).mul(kv);
            FloatVector.fromArray(SPECIES, x, off + i).sub(m).fma(negCoef, g).intoArray(gx, off + i);
        }
        for (; i < len; i++) {
            gx[off + i] = (gy[off + i] - gyShift) * k - (x[off + i] - mu) * xCoef;
        }
    }

    // ---- plumbing --------------------------------------------------------------------------------------

    private static void forChannels(int n, int c, int hw, IntConsumer body) {
        Parallel.forRange(c, Math.max(1, MIN_PARALLEL_WORK / (n * hw)), (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                body.accept(ch);
            }
        });
    }

    private static void checkActivations(String op, int n, int c, int hw, float[] x, String other, float[] o) {
        if (n < 1 || c < 1 || hw < 1) {
            throw new IllegalArgumentException(op + ": sizes must be positive, got [" + n + ", " + c + ", " + hw + "]");
        }
        long need = (long) n * c * hw;
        if (x.length < need || o.length < need) {
            throw new IllegalArgumentException(op + ": [" + n + ", " + c + ", " + hw + "] needs " + need
                    + " elements, got x " + x.length + " and " + other + " " + o.length);
        }
    }

    /** Every per-channel array must hold at least {@code c} values; optional ones may be null. */
    private static void checkChannels(String op, int c, boolean required, float[]... perChannel) {
        for (float[] a : perChannel) {
            if (a == null && required) {
                throw new IllegalArgumentException(op + ": the mean and variance (or invStd) arrays must not be null");
            }
            if (a != null && a.length < c) {
                throw new IllegalArgumentException(op + ": a per-channel array has " + a.length
                        + " elements, expected at least " + c + " channels");
            }
        }
    }
}
