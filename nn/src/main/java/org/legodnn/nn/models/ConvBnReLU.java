package org.legodnn.nn.models;

import org.legodnn.nn.BatchNorm2d;
import org.legodnn.nn.Conv2d;
import org.legodnn.nn.Module;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/**
 * The unit YOLOv3's neck and heads are made of: a bias-free k×k convolution with "same" padding, BatchNorm and
 * ReLU (Darknet uses LeakyReLU(0.1); ReLU here, as in the ResNet backbone, so that every op has a fused kernel),
 * with the names {@code conv} and {@code bn} a PyTorch re-implementation would give them.
 */
public final class ConvBnReLU extends Module {

    private final Conv2d conv;
    private final BatchNorm2d bn;

    public ConvBnReLU(int in, int out, int kernel) {
        if (kernel % 2 != 1) {
            throw new IllegalArgumentException("ConvBnReLU: kernel " + kernel + " (expected odd, for same padding)");
        }
        conv = registerModule("conv", new Conv2d(in, out, kernel, 1, kernel / 2, false));
        bn = registerModule("bn", new BatchNorm2d(out));
    }

    @Override
    public Tensor forward(Tensor x) {
        return Ops.relu(bn.call(conv.call(x)));
    }
}
