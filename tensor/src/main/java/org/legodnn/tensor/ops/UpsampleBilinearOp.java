package org.legodnn.tensor.ops;

import org.legodnn.kernels.Backend;
import org.legodnn.kernels.Backends;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * Bilinear resize to a given size with {@code align_corners=false}, as PyTorch's {@code F.interpolate}:
 * smooth enlargement for segmentation heads; the gradient spreads {@code gy} with the same weights.
 */
public final class UpsampleBilinearOp {

    private UpsampleBilinearOp() {
    }

    public static Tensor apply(Tensor x, int outH, int outW) {
        Shapes.requireRank("upsample_bilinear2d", "input", x, 4);
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("upsample_bilinear2d: output size " + outH + "x" + outW
                    + " must be positive for input " + Shapes.format(x.shape()));
        }
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int[] shape = {n, c, outH, outW};
        Backend backend = Backends.current();
        float[] y = new float[Shapes.checkedSize("upsample_bilinear2d", shape)];
        backend.upsampleBilinear(n, c, h, w, outH, outW, x.data(), y);
        return Tensor.result("upsample_bilinear2d", y, shape, gy -> {
            float[] gx = new float[x.size()];
            backend.upsampleBilinearBackward(n, c, h, w, outH, outW, gy, gx);
            Grad.accumulate(backend, x, gx);
        }, x);
    }
}
