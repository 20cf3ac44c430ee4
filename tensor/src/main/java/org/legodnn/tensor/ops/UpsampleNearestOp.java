package org.legodnn.tensor.ops;

import org.legodnn.kernels.Backend;
import org.legodnn.kernels.Backends;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * Nearest-neighbour upsampling by an integer factor (PyTorch's {@code mode="nearest"}), the cheap way a
 * decoder or feature pyramid enlarges maps; the gradient sums each block of {@code gy}.
 */
public final class UpsampleNearestOp {

    private UpsampleNearestOp() {
    }

    public static Tensor apply(Tensor x, int scale) {
        Shapes.requireRank("upsample_nearest2d", "input", x, 4);
        if (scale < 1) {
            throw new IllegalArgumentException("upsample_nearest2d: scale must be >= 1, got " + scale
                    + " for input " + Shapes.format(x.shape()));
        }
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int[] shape = {n, c, h * scale, w * scale};
        Backend backend = Backends.current();
        float[] y = new float[Shapes.checkedSize("upsample_nearest2d", shape)];
        backend.upsampleNearest(n, c, h, w, scale, scale, x.data(), y);
        return Tensor.result("upsample_nearest2d", y, shape, gy -> {
            float[] gx = new float[x.size()];
            backend.upsampleNearestBackward(n, c, h, w, scale, scale, gy, gx);
            Grad.accumulate(backend, x, gx);
        }, x);
    }
}
