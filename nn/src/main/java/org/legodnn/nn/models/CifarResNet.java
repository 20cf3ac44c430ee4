package org.legodnn.nn.models;

import org.legodnn.nn.BatchNorm2d;
import org.legodnn.nn.Conv2d;
import org.legodnn.nn.Linear;
import org.legodnn.nn.Module;
import org.legodnn.nn.Sequential;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/**
 * He et al.'s ResNet for 32×32 images (ResNet-20/32/44/56/110), the small teacher that this project trains,
 * cuts into blocks and benchmarks. A 3×3 stem to 16 channels, three stages of n = (depth − 2)/6
 * {@link BasicBlock}s with widths 16, 32, 64 (the first block of stages 2 and 3 halves the resolution),
 * global average pooling and a linear classifier.
 *
 * <p>Names match the reference PyTorch state dicts: {@code conv1}, {@code bn1},
 * {@code layer1.0.conv1.weight} ... {@code layer3.2.shortcut.1.running_var}, {@code fc.weight}, {@code fc.bias}.
 * The input size only has to be large enough for two stride-2 stages (28×28 gray images work too).
 */
public final class CifarResNet extends Module {

    private final int depth;
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Sequential layer1;
    private final Sequential layer2;
    private final Sequential layer3;
    private final Linear fc;

    /** ResNet-20 for RGB images and 10 classes. */
    public static CifarResNet resnet20() {
        return new CifarResNet(20, 3, 10);
    }

    /**
     * @param depth 6n + 2 (20, 32, 44, 56, 110)
     * @param inChannels image channels (3 for RGB, 1 for gray)
     * @param numClasses classifier outputs
     */
    public CifarResNet(int depth, int inChannels, int numClasses) {
        if (depth < 8 || (depth - 2) % 6 != 0 || inChannels <= 0 || numClasses <= 0) {
            throw new IllegalArgumentException("CifarResNet: depth " + depth + ", " + inChannels + " input channels, "
                    + numClasses + " classes (expected depth = 6n + 2 with n >= 1, positive channels and classes)");
        }
        this.depth = depth;
        int n = (depth - 2) / 6;
        conv1 = registerModule("conv1", new Conv2d(inChannels, 16, 3, 1, 1, false));
        bn1 = registerModule("bn1", new BatchNorm2d(16));
        layer1 = registerModule("layer1", stage(16, 16, n, 1));
        layer2 = registerModule("layer2", stage(16, 32, n, 2));
        layer3 = registerModule("layer3", stage(32, 64, n, 2));
        fc = registerModule("fc", new Linear(64, numClasses));
    }

    private static Sequential stage(int in, int out, int blocks, int stride) {
        Sequential s = new Sequential();
        s.add(new BasicBlock(in, out, stride));
        for (int i = 1; i < blocks; i++) {
            s.add(new BasicBlock(out, out, 1));
        }
        return s;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = Ops.relu(bn1.call(conv1.call(x)));
        out = layer3.call(layer2.call(layer1.call(out)));
        return fc.call(Ops.flatten(Ops.globalAvgPool(out)));
    }

    public int depth() {
        return depth;
    }

    public Conv2d conv1() {
        return conv1;
    }

    public BatchNorm2d bn1() {
        return bn1;
    }

    public Sequential layer1() {
        return layer1;
    }

    public Sequential layer2() {
        return layer2;
    }

    public Sequential layer3() {
        return layer3;
    }

    public Linear fc() {
        return fc;
    }
}
