package org.legodnn.nn.models;

import org.legodnn.nn.MaxPool2d;
import org.legodnn.nn.Module;
import org.legodnn.nn.Sequential;
import org.legodnn.tensor.Tensor;

/**
 * One step down U-Net's contracting path, halving the resolution: 2×2 max pooling, then a {@link DoubleConv};
 * named {@code maxpool_conv.0} (the pool) and {@code maxpool_conv.1} as milesial's PyTorch {@code Down}.
 */
public final class UNetDown extends Module {

    private final Sequential maxpoolConv;

    public UNetDown(int inChannels, int outChannels) {
        maxpoolConv = registerModule("maxpool_conv", new Sequential(new MaxPool2d(2),
                new DoubleConv(inChannels, outChannels)));
    }

    @Override
    public Tensor forward(Tensor x) {
        return maxpoolConv.call(x);
    }
}
