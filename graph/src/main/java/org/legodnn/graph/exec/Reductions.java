package org.legodnn.graph.exec;

import org.legodnn.graph.Attrs;
import org.legodnn.graph.ShapeInference;
import org.legodnn.kernels.Backends;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/** Means and softmax over chosen axes: global average pooling, ReduceMean, Softmax along any axis. */
final class Reductions {

    private Reductions() {
    }

    /** {@code [N, C, spatial...]} to {@code [N, C, 1, ...]}. */
    static Tensor globalAvgPool(Tensor x) {
        int n = x.dim(0);
        int c = x.dim(1);
        int hw = x.size() / Math.max(1, n * c);
        float[] y = new float[n * c];
        Backends.current().globalAvgPool(n, c, hw, x.data(), y);
        int[] shape = x.shape();
        for (int d = 2; d < shape.length; d++) {
            shape[d] = 1;
        }
        return Tensor.of(y, shape);
    }

    static Tensor reduceMean(Tensor x, Attrs.ReduceMean a) {
        int[] in = x.shape();
        int rank = in.length;
        boolean[] reduced = new boolean[rank];
        for (int axis : a.axes()) {
            reduced[axis] = true;
        }
        if (a.axes().length == 0) {
            java.util.Arrays.fill(reduced, true);
        }
        int[] kept = in.clone();
        long count = 1;
        for (int d = 0; d < rank; d++) {
            if (reduced[d]) {
                kept[d] = 1;
                count *= in[d];
            }
        }
        int[] keptStrides = Shapes.broadcastStrides(kept, in);
        double[] acc = new double[(int) org.legodnn.tensor.Shapes.size(kept)];
        float[] src = x.data();
        int[] idx = new int[rank];
        for (int i = 0; i < src.length; i++) {
            int o = 0;
            for (int d = 0; d < rank; d++) {
                o += idx[d] * keptStrides[d];
            }
            acc[o] += src[i];
            for (int d = rank - 1; d >= 0; d--) {
                if (++idx[d] < in[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        float[] y = new float[acc.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) (acc[i] / count);
        }
        return Tensor.of(y, ShapeInference.reduceMean(in, a));
    }

    static Tensor softmax(Tensor x, Attrs.Softmax a) {
        int[] in = x.shape();
        long outer = 1;
        for (int d = 0; d < a.axis(); d++) {
            outer *= in[d];
        }
        int len = a.flattenTail() || in.length == 0 ? x.size() / (int) Math.max(1, outer) : in[a.axis()];
        int inner = x.size() / (int) Math.max(1, outer * len);
        float[] src = x.data();
        float[] y = new float[src.length];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * len * inner + i;
                float max = Float.NEGATIVE_INFINITY;
                for (int k = 0; k < len; k++) {
                    max = Math.max(max, src[base + k * inner]);
                }
                double sum = 0;
                for (int k = 0; k < len; k++) {
                    float e = (float) Math.exp(src[base + k * inner] - max);
                    y[base + k * inner] = e;
                    sum += e;
                }
                float inv = (float) (1.0 / sum);
                for (int k = 0; k < len; k++) {
                    y[base + k * inner] *= inv;
                }
            }
        }
        return Tensor.of(y, in);
    }
}
