package org.legodnn.tensor.ops;

import org.legodnn.kernels.Backends;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * The same values under another shape, e.g. the feature maps flattened for the classifier. The result
 * shares the input's data array (a view, as PyTorch's {@code view}); its gradient is the upstream one.
 */
public final class ReshapeOp {

    private ReshapeOp() {
    }

    public static Tensor apply(Tensor x, int... shape) {
        int[] target = resolve(x, shape);
        return Tensor.result("reshape", x.data(), target,
                gy -> Backends.current().addInPlace(gy.length, x.gradBuffer(), gy), x);
    }

    /** {@code [N, d1, d2, ...]} to {@code [N, d1·d2·...]}. */
    public static Tensor flatten(Tensor x) {
        if (x.rank() < 1) {
            throw new IllegalArgumentException("flatten: needs at least 1 dimension (the batch), got shape "
                    + Shapes.format(x.shape()));
        }
        return apply(x, x.dim(0), -1);
    }

    /** The target shape with a -1 replaced by whatever makes the sizes agree. */
    private static int[] resolve(Tensor x, int[] shape) {
        int[] target = shape.clone();
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < target.length; i++) {
            if (target[i] == -1 && inferred < 0) {
                inferred = i;
            } else if (target[i] < 0) {
                throw new IllegalArgumentException("reshape: bad target shape " + Shapes.format(shape)
                        + " for " + Shapes.format(x.shape()) + " (only one -1 is allowed, no other negative size)");
            } else {
                known *= target[i];
            }
        }
        if (inferred >= 0) {
            if (known == 0 || x.size() % known != 0) {
                throw new IllegalArgumentException("reshape: cannot view " + Shapes.format(x.shape()) + " ("
                        + x.size() + " values) as " + Shapes.format(shape));
            }
            target[inferred] = (int) (x.size() / known);
        } else if (known != x.size()) {
            throw new IllegalArgumentException("reshape: cannot view " + Shapes.format(x.shape()) + " ("
                    + x.size() + " values) as " + Shapes.format(shape) + " (" + known + " values)");
        }
        return target;
    }
}
