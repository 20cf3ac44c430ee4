package org.legodnn.tensor.ops;

import java.util.Arrays;
import org.legodnn.kernels.Backend;
import org.legodnn.kernels.Backends;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * Concatenation along channels (dimension 1), for DenseNet/Inception-style joins; the gradient splits
 * {@code gy} back into one part per input.
 */
public final class ConcatOp {

    private ConcatOp() {
    }

    public static Tensor apply(Tensor... xs) {
        int[] shape = checkShapes(xs);
        int n = shape[0];
        int hw = (int) Shapes.size(Arrays.copyOfRange(shape, 2, shape.length));
        int[] channels = new int[xs.length];
        float[][] inputs = new float[xs.length][];
        for (int k = 0; k < xs.length; k++) {
            channels[k] = xs[k].dim(1);
            inputs[k] = xs[k].data();
        }
        Backend backend = Backends.current();
        float[] y = new float[(int) Shapes.size(shape)];
        backend.concatChannels(n, hw, channels, inputs, y);
        return Tensor.result("concat", y, shape, gy -> {
            float[][] parts = new float[xs.length][];
            for (int k = 0; k < xs.length; k++) {
                parts[k] = new float[xs[k].size()];
            }
            backend.splitChannels(n, hw, channels, gy, parts);
            for (int k = 0; k < xs.length; k++) {
                if (xs[k].requiresGrad()) {
                    Grad.accumulate(backend, xs[k], parts[k]);
                }
            }
        }, xs);
    }

    /** Checks that every input agrees with the first except in dimension 1; returns the output shape. */
    private static int[] checkShapes(Tensor[] xs) {
        if (xs.length == 0) {
            throw new IllegalArgumentException("concat: needs at least one tensor");
        }
        int[] first = xs[0].shape();
        if (first.length < 2) {
            throw new IllegalArgumentException("concat: tensors must have at least 2 dimensions, got "
                    + Shapes.format(first));
        }
        int[] out = first.clone();
        for (int k = 1; k < xs.length; k++) {
            int[] s = xs[k].shape();
            int[] sWithFirstChannels = s.clone();
            if (s.length == first.length) {
                sWithFirstChannels[1] = first[1];
            }
            if (!Arrays.equals(sWithFirstChannels, first)) {
                throw new IllegalArgumentException("concat: tensor " + k + " " + Shapes.format(s) + " does not match "
                        + Shapes.format(first) + " outside dimension 1");
            }
            out[1] += s[1];
        }
        return out;
    }
}
