package org.legodnn.nn.models;

import java.util.Random;
import org.legodnn.nn.BatchNorm2d;
import org.legodnn.nn.Conv2d;
import org.legodnn.nn.Init;
import org.legodnn.nn.Module;
import org.legodnn.nn.Sequential;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/**
 * torchvision's {@code BasicBlock} (ResNet-18/34), kept apart from the CIFAR {@link BasicBlock} because
 * torchvision names its projection {@code downsample} and registers it only when needed, so that
 * ImageNet weights load by name: out = relu(bn2(conv2(relu(bn1(conv1(x))))) + downsample(x)).
 *
 * <p>torchvision refuses dilation in this block; here both 3×3 convolutions take it (padding = dilation), so
 * that a ResNet-18 can trade its last strides for dilation as DeepLabV3's backbones do.
 */
public final class ResNetBasicBlock extends Module {

    /** Output channels per unit of {@code planes}: 1 for this block. */
    public static final int EXPANSION = 1;

    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final Sequential downsample;

    /** {@code downsample} is null for the identity shortcut. */
    public ResNetBasicBlock(int inplanes, int planes, int stride, Sequential downsample) {
        this(inplanes, planes, stride, downsample, 1);
    }

    /** A block whose two 3×3 convolutions are dilated by {@code dilation}; null {@code downsample}: identity. */
    public ResNetBasicBlock(int inplanes, int planes, int stride, Sequential downsample, int dilation) {
        Random rnd = Init.defaultRandom();
        conv1 = registerModule("conv1", new Conv2d(inplanes, planes, 3, stride, dilation, dilation, 1, false, rnd));
        bn1 = registerModule("bn1", new BatchNorm2d(planes));
        conv2 = registerModule("conv2", new Conv2d(planes, planes, 3, 1, dilation, dilation, 1, false, rnd));
        bn2 = registerModule("bn2", new BatchNorm2d(planes));
        this.downsample = downsample == null ? null : registerModule("downsample", downsample);
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = Ops.relu(bn1.call(conv1.call(x)));
        out = bn2.call(conv2.call(out));
        Tensor identity = downsample == null ? x : downsample.call(x);
        return Ops.relu(Ops.add(out, identity));
    }

    /** The projection (1×1 conv + BN), or null for the identity. */
    public Sequential downsample() {
        return downsample;
    }
}
