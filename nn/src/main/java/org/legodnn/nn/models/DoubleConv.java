package org.legodnn.nn.models;

import org.legodnn.nn.BatchNorm2d;
import org.legodnn.nn.Conv2d;
import org.legodnn.nn.Module;
import org.legodnn.nn.ReLU;
import org.legodnn.nn.Sequential;
import org.legodnn.tensor.Tensor;

/**
 * U-Net's unit of work at one resolution: two 3×3 convolutions (padding 1, no bias), each followed by BN and
 * ReLU, in a sequence named {@code double_conv} (the names of the widely used PyTorch U-Net, milesial's
 * {@code DoubleConv}: {@code double_conv.0.weight}, {@code double_conv.1.running_mean}, …).
 */
public final class DoubleConv extends Module {

    private final Sequential doubleConv;

    public DoubleConv(int inChannels, int outChannels) {
        doubleConv = registerModule("double_conv", new Sequential(
                new Conv2d(inChannels, outChannels, 3, 1, 1, false), new BatchNorm2d(outChannels), new ReLU(),
                new Conv2d(outChannels, outChannels, 3, 1, 1, false), new BatchNorm2d(outChannels), new ReLU()));
    }

    @Override
    public Tensor forward(Tensor x) {
        return doubleConv.call(x);
    }
}
