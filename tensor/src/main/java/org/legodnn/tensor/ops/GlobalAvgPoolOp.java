package org.legodnn.tensor.ops;

import org.legodnn.kernels.Backend;
import org.legodnn.kernels.Backends;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * The mean of each feature map, {@code [N, C, H, W]} to {@code [N, C, 1, 1]} (PyTorch's
 * {@code adaptive_avg_pool2d(x, 1)}): what a ResNet does before its classifier, whatever the image size.
 */
public final class GlobalAvgPoolOp {

    private GlobalAvgPoolOp() {
    }

    public static Tensor apply(Tensor x) {
        Shapes.requireRank("adaptive_avg_pool2d", "input", x, 4);
        int n = x.dim(0);
        int c = x.dim(1);
        int hw = x.dim(2) * x.dim(3);
        Backend backend = Backends.current();
        float[] y = new float[n * c];
        backend.globalAvgPool(n, c, hw, x.data(), y);
        return Tensor.result("adaptive_avg_pool2d", y, new int[] {n, c, 1, 1}, gy -> {
            float[] gx = new float[x.size()];
            backend.globalAvgPoolBackward(n, c, hw, gy, gx);
            Grad.accumulate(backend, x, gx);
        }, x);
    }
}
