package org.legodnn.nn;

import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/**
 * Global average pooling written the way torchvision models write it, {@code nn.AdaptiveAvgPool2d(1)}:
 * {@code [N, C, H, W]} to {@code [N, C, 1, 1]}. Only output size 1 is supported.
 */
public final class AdaptiveAvgPool2d extends Module {

    public AdaptiveAvgPool2d(int outputSize) {
        if (outputSize != 1) {
            throw new IllegalArgumentException("AdaptiveAvgPool2d: output size " + outputSize
                    + " is not supported (only 1, global average pooling)");
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        return Ops.globalAvgPool(x);
    }
}
