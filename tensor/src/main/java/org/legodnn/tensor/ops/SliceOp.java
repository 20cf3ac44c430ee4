package org.legodnn.tensor.ops;

import org.legodnn.kernels.Backend;
import org.legodnn.kernels.Backends;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * {@code x[..., start:end:step, ...]} along one axis, as a copy: how a detection head's output is cut into its
 * box, objectness and class channels. Indices follow Python: negative ones count from the end and both ends
 * are clamped to the axis. The gradient puts {@code gy} back where the values came from, zeros elsewhere.
 */
public final class SliceOp {

    private SliceOp() {
    }

    /** Slices along {@code axis} (negative counts from the end) with {@code step ≥ 1}. */
    public static Tensor apply(Tensor x, int axis, int start, int end, int step) {
        int[] shape = x.shape();
        int a = axis < 0 ? axis + shape.length : axis;
        if (a < 0 || a >= shape.length) {
            throw new IllegalArgumentException("slice: axis " + axis + " is out of range for shape " + Shapes.format(shape));
        }
        if (step < 1) {
            throw new IllegalArgumentException("slice: step must be at least 1, got " + step);
        }
        int dim = shape[a];
        int from = clamp(start, dim);
        int to = Math.max(from, clamp(end, dim));
        int len = (to - from + step - 1) / step;
        int outer = (int) Shapes.size(java.util.Arrays.copyOfRange(shape, 0, a));
        int inner = (int) Shapes.size(java.util.Arrays.copyOfRange(shape, a + 1, shape.length));
        int[] outShape = shape.clone();
        outShape[a] = len;
        float[] y = new float[outer * len * inner];
        float[] xs = x.data();
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < len; k++) {
                System.arraycopy(xs, (o * dim + from + k * step) * inner, y, (o * len + k) * inner, inner);
            }
        }
        Backend backend = Backends.current();
        int[] args = {a, from, to, step};
        return Tensor.result("slice", args, y, outShape, gy -> {
            float[] gx = new float[xs.length];
            for (int o = 0; o < outer; o++) {
                for (int k = 0; k < len; k++) {
                    System.arraycopy(gy, (o * len + k) * inner, gx, (o * dim + from + k * step) * inner, inner);
                }
            }
            Grad.accumulate(backend, x, gx);
        }, x);
    }

    /** {@code length} values from {@code start} along {@code axis}, all of which must exist (PyTorch's narrow). */
    public static Tensor narrow(Tensor x, int axis, int start, int length) {
        int a = axis < 0 ? axis + x.rank() : axis;
        if (a < 0 || a >= x.rank()) {
            throw new IllegalArgumentException("narrow: axis " + axis + " is out of range for shape "
                    + Shapes.format(x.shape()));
        }
        int dim = x.dim(a);
        int from = start < 0 ? start + dim : start;
        if (from < 0 || length < 0 || (long) from + length > dim) {
            throw new IllegalArgumentException("narrow: start " + start + " and length " + length + " do not fit axis "
                    + a + " of size " + dim + " in shape " + Shapes.format(x.shape()));
        }
        return apply(x, a, from, from + length, 1);
    }

    /** A Python index on an axis of size {@code dim}, clamped to {@code [0, dim]}. */
    private static int clamp(int index, int dim) {
        long i = index < 0 ? (long) index + dim : index;
        return (int) Math.max(0, Math.min(dim, i));
    }
}
