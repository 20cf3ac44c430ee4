package org.legodnn.graph.exec;

import org.legodnn.graph.Attrs;

/**
 * For one axis of an ONNX Resize, per output index: the two source indices and the weight of the second
 * (nearest: one index twice, weight 0). One definition of every coordinate mode and rounding rule, shared by
 * the CPU interpreter and the OpenCL backend (which uploads these tables), so both resize alike.
 */
public record ResizeAxis(int[] lo, int[] hi, float[] frac) {

    /** The number of output indices. */
    public int size() {
        return lo.length;
    }

    /** The tables for {@code in} source and {@code out} output indices at {@code scale} (out / in unless given). */
    public static ResizeAxis of(Attrs.Resize a, int in, int out, double scale) {
        int[] lo = new int[out];
        int[] hi = new int[out];
        float[] frac = new float[out];
        for (int i = 0; i < out; i++) {
            double src = switch (a.coordinates()) {
                case HALF_PIXEL -> (i + 0.5) / scale - 0.5;
                case PYTORCH_HALF_PIXEL -> out > 1 ? (i + 0.5) / scale - 0.5 : 0;
                case ALIGN_CORNERS -> out == 1 ? 0 : i * (in - 1) / (double) (out - 1);
                case ASYMMETRIC -> i / scale;
            };
            if (a.mode() == Attrs.ResizeMode.NEAREST) {
                int k = switch (a.nearest()) {
                    case FLOOR -> (int) Math.floor(src);
                    case CEIL -> (int) Math.ceil(src);
                    case ROUND_PREFER_FLOOR -> src - Math.floor(src) == 0.5 ? (int) Math.floor(src) : (int) Math.round(src);
                    case ROUND_PREFER_CEIL -> (int) Math.floor(src + 0.5);
                };
                k = Math.min(Math.max(k, 0), in - 1);
                lo[i] = k;
                hi[i] = k;
            } else {
                double c = Math.min(Math.max(src, 0), in - 1);
                int k = (int) Math.floor(c);
                lo[i] = k;
                hi[i] = Math.min(k + 1, in - 1);
                frac[i] = (float) (c - k);
            }
        }
        return new ResizeAxis(lo, hi, frac);
    }
}
