package org.legodnn.graph.exec.opencl;

import org.legodnn.graph.Attrs;

/**
 * For one axis of an ONNX Resize, per output index: the two source indices and the weight of the second
 * (nearest: one index twice, weight 0). Worked out on the host with the same formulas as the CPU
 * interpreter's {@code Resize}, so that every coordinate mode and rounding rule comes out the same.
 */
record ResizeTables(int[] lo, int[] hi, float[] frac) {

    int size() {
        return lo.length;
    }

    static ResizeTables of(Attrs.Resize a, int in, int out, double scale) {
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
        return new ResizeTables(lo, hi, frac);
    }
}
