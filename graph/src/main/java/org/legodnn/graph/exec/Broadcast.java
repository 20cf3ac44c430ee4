package org.legodnn.graph.exec;

import org.legodnn.graph.Op;
import org.legodnn.graph.ShapeInference;
import org.legodnn.kernels.Backends;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * Add, Sub, Mul and Div with numpy broadcasting, as ONNX defines them: a residual add of equal shapes, a
 * per-channel scale {@code [1, C, 1, 1]} against {@code [N, C, H, W]}, a scalar, or any other compatible
 * pair. The output is walked row by row over its last dimension, each operand either stepping through the
 * row or repeating one value.
 */
final class Broadcast {

    private Broadcast() {
    }

    static Tensor apply(Op op, Tensor a, Tensor b) {
        int[] shape = ShapeInference.broadcast(a.shape(), b.shape());
        float[] y = new float[Shapes.checkedSize("broadcast", shape)];
        float[] ad = a.data();
        float[] bd = b.data();
        if (a.sameShape(b.shape())) {
            if (op == Op.ADD) {
                Backends.current().add(y.length, ad, bd, y);
            } else {
                row(op, ad, 0, 1, bd, 0, 1, y, 0, y.length);
            }
            return Tensor.of(y, shape);
        }
        int rank = shape.length;
        int[] as = Shapes.broadcastStrides(a.shape(), shape);
        int[] bs = Shapes.broadcastStrides(b.shape(), shape);
        int inner = rank == 0 ? 1 : shape[rank - 1];
        int rows = inner == 0 ? 0 : y.length / inner;
        int[] idx = new int[rank];
        for (int r = 0; r < rows; r++) {
            int aOff = 0;
            int bOff = 0;
            for (int d = 0; d < rank - 1; d++) {
                aOff += idx[d] * as[d];
                bOff += idx[d] * bs[d];
            }
            row(op, ad, aOff, rank == 0 ? 0 : as[rank - 1], bd, bOff, rank == 0 ? 0 : bs[rank - 1], y, r * inner, inner);
            for (int d = rank - 2; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return Tensor.of(y, shape);
    }

    /** One output row; a step of 0 repeats that operand's value. */
    private static void row(Op op, float[] a, int aOff, int aStep, float[] b, int bOff, int bStep,
                            float[] y, int yOff, int len) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < len; i++) {
                    y[yOff + i] = a[aOff + i * aStep] + b[bOff + i * bStep];
                }
            }
            case SUB -> {
                for (int i = 0; i < len; i++) {
                    y[yOff + i] = a[aOff + i * aStep] - b[bOff + i * bStep];
                }
            }
            case MUL -> {
                for (int i = 0; i < len; i++) {
                    y[yOff + i] = a[aOff + i * aStep] * b[bOff + i * bStep];
                }
            }
            case DIV -> {
                for (int i = 0; i < len; i++) {
                    y[yOff + i] = a[aOff + i * aStep] / b[bOff + i * bStep];
                }
            }
            default -> throw new IllegalArgumentException("not a binary elementwise op: " + op);
        }
    }
}
