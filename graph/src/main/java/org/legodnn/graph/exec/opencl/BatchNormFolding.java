package org.legodnn.graph.exec.opencl;

/**
 * Inference BatchNorm as a per-channel affine map, {@code y = x·scale + shift} with
 * {@code scale = gamma / sqrt(var + eps)} and {@code shift = beta − mean·scale}, and its folding into the
 * convolution before it: {@code w' = w·scale} (per output channel), {@code b' = (b − mean)·scale + beta}.
 * Computed in double, once, when a model is prepared.
 */
final class BatchNormFolding {

    private BatchNormFolding() {
    }

    static float[] scale(float[] gamma, float[] var, float eps) {
        float[] s = new float[gamma.length];
        for (int c = 0; c < s.length; c++) {
            s[c] = (float) (gamma[c] / Math.sqrt((double) var[c] + eps));
        }
        return s;
    }

    static float[] shift(float[] gamma, float[] beta, float[] mean, float[] var, float eps) {
        float[] t = new float[gamma.length];
        for (int c = 0; c < t.length; c++) {
            double s = gamma[c] / Math.sqrt((double) var[c] + eps);
            t[c] = (float) (beta[c] - mean[c] * s);
        }
        return t;
    }

    /** The weights {@code [cout, ...]} scaled per output channel. */
    static float[] foldWeight(float[] w, int cout, float[] gamma, float[] var, float eps) {
        float[] out = new float[w.length];
        int per = w.length / cout;
        for (int c = 0; c < cout; c++) {
            double s = gamma[c] / Math.sqrt((double) var[c] + eps);
            for (int i = c * per; i < (c + 1) * per; i++) {
                out[i] = (float) (w[i] * s);
            }
        }
        return out;
    }

    /** The bias after folding; {@code bias} may be null (no bias: 0). */
    static float[] foldBias(float[] bias, float[] gamma, float[] beta, float[] mean, float[] var, float eps) {
        float[] out = new float[gamma.length];
        for (int c = 0; c < out.length; c++) {
            double s = gamma[c] / Math.sqrt((double) var[c] + eps);
            double b = bias == null ? 0 : bias[c];
            out[c] = (float) ((b - mean[c]) * s + beta[c]);
        }
        return out;
    }
}
