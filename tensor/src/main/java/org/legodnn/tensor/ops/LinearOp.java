package org.legodnn.tensor.ops;

import org.legodnn.kernels.Backend;
import org.legodnn.kernels.Backends;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * A fully connected layer, PyTorch's {@code F.linear}: {@code y = x·wᵀ + b} as one GEMM with the weight
 * kept in PyTorch's {@code [out, in]} layout. Leading dimensions of {@code x} are rows.
 */
public final class LinearOp {

    private LinearOp() {
    }

    public static Tensor apply(Tensor x, Tensor w, Tensor b) {
        int[] outShape = checkShapes(x, w, b);
        int in = w.dim(1);
        int out = w.dim(0);
        int rows = x.size() / in;
        Backend backend = Backends.current();
        float[] y = new float[rows * out];
        backend.gemm(false, true, rows, out, in, x.data(), 0, in, w.data(), 0, in, false, y, 0, out);
        if (b != null) {
            float[] bd = b.data();
            for (int r = 0; r < rows; r++) {
                for (int o = 0; o < out; o++) {
                    y[r * out + o] += bd[o];
                }
            }
        }
        return Tensor.result("linear", y, outShape, gy -> {
            if (x.requiresGrad()) { // gx = gy·w
                backend.gemm(false, false, rows, in, out, gy, 0, out, w.data(), 0, in, true, x.gradBuffer(), 0, in);
            }
            if (w.requiresGrad()) { // gw = gyᵀ·x
                backend.gemm(true, false, out, in, rows, gy, 0, out, x.data(), 0, in, true, w.gradBuffer(), 0, in);
            }
            if (b != null && b.requiresGrad()) { // gb = Σ_rows gy
                float[] gb = b.gradBuffer();
                for (int r = 0; r < rows; r++) {
                    for (int o = 0; o < out; o++) {
                        gb[o] += gy[r * out + o];
                    }
                }
            }
        }, x, w, b);
    }

    /** Validates the operands and returns the output shape: {@code x}'s with the last dimension {@code out}. */
    private static int[] checkShapes(Tensor x, Tensor w, Tensor b) {
        Shapes.requireRank("linear", "weight", w, 2);
        if (x.rank() < 1 || x.dim(-1) != w.dim(1)) {
            throw new IllegalArgumentException("linear: input " + Shapes.format(x.shape()) + " must end in "
                    + w.dim(1) + " features to match weight " + Shapes.format(w.shape()) + " ([out, in])");
        }
        if (b != null && !b.sameShape(w.dim(0))) {
            throw new IllegalArgumentException("linear: bias " + Shapes.format(b.shape()) + " must be [" + w.dim(0)
                    + "] for weight " + Shapes.format(w.shape()));
        }
        int[] shape = x.shape();
        shape[shape.length - 1] = w.dim(0);
        return shape;
    }
}
