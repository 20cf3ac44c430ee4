package org.legodnn.nn.models;

import org.legodnn.nn.BatchNorm2d;
import org.legodnn.nn.Conv2d;
import org.legodnn.nn.Dropout;
import org.legodnn.nn.Init;
import org.legodnn.nn.Linear;
import org.legodnn.nn.MaxPool2d;
import org.legodnn.nn.Module;
import org.legodnn.nn.ReLU;
import org.legodnn.nn.Sequential;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/**
 * torchvision's VGG with batch normalization (Simonyan and Zisserman), the plain, heavy network of the
 * LegoDNN evaluation, with torchvision's module tree: {@code features} (3×3 conv with bias, BN, ReLU per
 * layer, 2×2 max-pool between stages, numbered as one {@link Sequential}), {@code avgpool} to 7×7, and
 * {@code classifier} = Linear(512·7·7, 4096), ReLU, Dropout, Linear(4096, 4096), ReLU, Dropout,
 * Linear(4096, classes) ({@code classifier.0}, {@code .3}, {@code .6}). VGG-16-BN with 1000 classes has
 * 138,365,992 parameters. Convolutions start as torchvision initializes them (Kaiming normal, fan_out,
 * zero bias); the linear layers keep PyTorch's default uniform init, close in scale to torchvision's
 * normal(0, 0.01), because drawing 123M Gaussians costs about ten seconds on a small machine.
 */
public final class Vgg extends Module {

    /** Configuration "D" (VGG-16): conv widths, 0 for a max-pool. */
    public static final int[] CFG_D = {64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0};

    private final Sequential features;
    private final AdaptiveAvgPoolGrid avgpool;
    private final Sequential classifier;

    public static Vgg vgg16Bn(int inChannels, int numClasses) {
        return new Vgg(CFG_D, inChannels, numClasses);
    }

    /**
     * @param cfg conv widths in order, 0 for a 2×2 max-pool
     * @param inChannels image channels
     * @param numClasses classifier outputs
     */
    public Vgg(int[] cfg, int inChannels, int numClasses) {
        if (inChannels <= 0 || numClasses <= 0) {
            throw new IllegalArgumentException("Vgg: " + inChannels + " input channels, " + numClasses
                    + " classes (expected both positive)");
        }
        features = registerModule("features", new Sequential());
        int in = inChannels;
        for (int v : cfg) {
            if (v == 0) {
                features.add(new MaxPool2d(2, 2, 0, false));
            } else {
                features.add(new Conv2d(in, v, 3, 1, 1, true));
                features.add(new BatchNorm2d(v));
                features.add(new ReLU());
                in = v;
            }
        }
        avgpool = registerModule("avgpool", new AdaptiveAvgPoolGrid(7));
        classifier = registerModule("classifier", new Sequential(
                new Linear(in * 7 * 7, 4096), new ReLU(), new Dropout(0.5f),
                new Linear(4096, 4096), new ReLU(), new Dropout(0.5f),
                new Linear(4096, numClasses)));
        initLikeTorchvision();
    }

    /** Conv: Kaiming normal (fan_out, ReLU), zero bias, as torchvision. */
    private void initLikeTorchvision() {
        for (Module m : namedModules().values()) {
            if (m instanceof Conv2d conv) {
                Init.kaimingNormal(conv.weight(), 0, Init.FanMode.FAN_OUT, Init.Nonlinearity.RELU, Init.defaultRandom());
                Init.constant(conv.bias(), 0f);
            }
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = avgpool.call(features.call(x));
        return classifier.call(Ops.flatten(out));
    }

    public Sequential features() {
        return features;
    }

    public Sequential classifier() {
        return classifier;
    }
}
