package org.legodnn.tensor.ops;

import org.legodnn.kernels.Backend;
import org.legodnn.kernels.Backends;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/** The product of two matrices through the backend's GEMM; both gradients are GEMMs as well. */
public final class MatMulOp {

    private MatMulOp() {
    }

    /** {@code [m, k]·[k, n] = [m, n]}; gradients {@code ga = gy·bᵀ}, {@code gb = aᵀ·gy}. */
    public static Tensor apply(Tensor a, Tensor b) {
        Shapes.requireRank("matmul", "the left operand", a, 2);
        Shapes.requireRank("matmul", "the right operand", b, 2);
        int m = a.dim(0);
        int k = a.dim(1);
        int n = b.dim(1);
        if (b.dim(0) != k) {
            throw new IllegalArgumentException("matmul: " + Shapes.format(a.shape()) + " times " + Shapes.format(b.shape())
                    + ": the left has " + k + " columns, the right " + b.dim(0) + " rows");
        }
        Backend backend = Backends.current();
        float[] y = new float[m * n];
        backend.gemm(false, false, m, n, k, a.data(), 0, k, b.data(), 0, n, false, y, 0, n);
        return Tensor.result("matmul", y, new int[] {m, n}, gy -> {
            if (a.requiresGrad()) {
                backend.gemm(false, true, m, k, n, gy, 0, n, b.data(), 0, n, true, a.gradBuffer(), 0, k);
            }
            if (b.requiresGrad()) {
                backend.gemm(true, false, k, n, m, a.data(), 0, k, gy, 0, n, true, b.gradBuffer(), 0, n);
            }
        }, a, b);
    }
}
