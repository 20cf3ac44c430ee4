package org.legodnn.nn.models;

import org.legodnn.nn.BatchNorm2d;
import org.legodnn.nn.Conv2d;
import org.legodnn.nn.Linear;
import org.legodnn.nn.Module;
import org.legodnn.nn.Sequential;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/**
 * The ResNet-18 for 32×32 images that LegoDNN cuts into eight blocks (its CIFAR-100 teacher), so that this
 * project's block extraction and the original's profiles talk about the same network. It is the common
 * PyTorch CIFAR definition (kuangliu's pytorch-cifar): a 3×3 stem of 64 channels at stride 1 without
 * max-pooling, four stages of two {@link BasicBlock}s at widths 64, 128, 256, 512 (strides 1, 2, 2, 2),
 * global average pooling and a classifier named {@code linear}.
 *
 * <p>State-dict names: {@code conv1}, {@code bn1}, {@code layer1.0.conv1.weight} ...
 * {@code layer4.1.bn2.running_var}, projection shortcuts {@code layer2.0.shortcut.0}/{@code .1},
 * {@code linear.weight}, {@code linear.bias}. With 3 input channels and 100 classes it has 11,220,132
 * parameters, the count in LegoDNN's {@code server-teacher-model-metrics.yaml}.
 */
public final class CifarResNet18 extends Module {

    private static final int[] WIDTHS = {64, 128, 256, 512};

    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Sequential[] layers = new Sequential[4];
    private final Linear linear;

    /**
     * @param inChannels image channels (3 for RGB, 1 for gray)
     * @param numClasses classifier outputs
     */
    public CifarResNet18(int inChannels, int numClasses) {
        if (inChannels <= 0 || numClasses <= 0) {
            throw new IllegalArgumentException("CifarResNet18: " + inChannels + " input channels, " + numClasses
                    + " classes (expected both positive)");
        }
        conv1 = registerModule("conv1", new Conv2d(inChannels, 64, 3, 1, 1, false));
        bn1 = registerModule("bn1", new BatchNorm2d(64));
        int in = 64;
        for (int i = 0; i < 4; i++) {
            int stride = i == 0 ? 1 : 2;
            layers[i] = registerModule("layer" + (i + 1),
                    new Sequential(new BasicBlock(in, WIDTHS[i], stride), new BasicBlock(WIDTHS[i], WIDTHS[i], 1)));
            in = WIDTHS[i];
        }
        linear = registerModule("linear", new Linear(512, numClasses));
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = Ops.relu(bn1.call(conv1.call(x)));
        for (Sequential layer : layers) {
            out = layer.call(out);
        }
        return linear.call(Ops.flatten(Ops.globalAvgPool(out)));
    }

    /** Stage {@code i} (1 to 4), two {@link BasicBlock}s. */
    public Sequential layer(int i) {
        if (i < 1 || i > 4) {
            throw new IllegalArgumentException("CifarResNet18: layer " + i + " does not exist (expected 1 to 4)");
        }
        return layers[i - 1];
    }

    public Linear linear() {
        return linear;
    }
}
