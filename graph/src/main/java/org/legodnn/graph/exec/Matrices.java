package org.legodnn.graph.exec;

import org.legodnn.graph.Attrs;
import org.legodnn.graph.ShapeInference;
import org.legodnn.kernels.Backend;
import org.legodnn.kernels.Backends;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/** Gemm (with its transposes, scales and broadcast bias) and batched MatMul, on the backend's GEMM kernel. */
final class Matrices {

    private Matrices() {
    }

    static Tensor gemm(Tensor a, Tensor b, Tensor c, Attrs.Gemm attrs) {
        int m = attrs.transA() ? a.dim(1) : a.dim(0);
        int k = attrs.transA() ? a.dim(0) : a.dim(1);
        int n = attrs.transB() ? b.dim(0) : b.dim(1);
        float[] y = new float[m * n];
        Backends.current().gemm(attrs.transA(), attrs.transB(), m, n, k, a.data(), 0, a.dim(1), b.data(), 0, b.dim(1),
                false, y, 0, n);
        if (attrs.alpha() != 1f) {
            for (int i = 0; i < y.length; i++) {
                y[i] *= attrs.alpha();
            }
        }
        if (c != null && attrs.beta() != 0f) {
            int[] cs = Shapes.broadcastStrides(c.shape(), new int[] {m, n});
            float[] cd = c.data();
            float beta = attrs.beta();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    y[i * n + j] += beta * cd[i * cs[0] + j * cs[1]];
                }
            }
        }
        return Tensor.of(y, m, n);
    }

    /** numpy's matmul: batch dimensions broadcast, 1-D operands promoted. */
    static Tensor matmul(Tensor a, Tensor b) {
        int[] as = a.rank() == 1 ? new int[] {1, a.dim(0)} : a.shape();
        int[] bs = b.rank() == 1 ? new int[] {b.dim(0), 1} : b.shape();
        int m = as[as.length - 2];
        int k = as[as.length - 1];
        int n = bs[bs.length - 1];
        int[] outShape = ShapeInference.matmul(a.shape(), b.shape());
        int[] batch = ShapeInference.broadcast(java.util.Arrays.copyOf(as, as.length - 2),
                java.util.Arrays.copyOf(bs, bs.length - 2));
        int[] aStr = Shapes.broadcastStrides(java.util.Arrays.copyOf(as, as.length - 2), batch);
        int[] bStr = Shapes.broadcastStrides(java.util.Arrays.copyOf(bs, bs.length - 2), batch);
        int batches = (int) org.legodnn.tensor.Shapes.size(batch);
        float[] y = new float[batches * m * n];
        Backend backend = Backends.current();
        int[] idx = new int[batch.length];
        for (int t = 0; t < batches; t++) {
            int aOff = 0;
            int bOff = 0;
            for (int d = 0; d < batch.length; d++) {
                aOff += idx[d] * aStr[d];
                bOff += idx[d] * bStr[d];
            }
            backend.gemm(false, false, m, n, k, a.data(), aOff * m * k, k, b.data(), bOff * k * n, n, false,
                    y, t * m * n, n);
            for (int d = batch.length - 1; d >= 0; d--) {
                if (++idx[d] < batch[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return Tensor.of(y, outShape);
    }
}
