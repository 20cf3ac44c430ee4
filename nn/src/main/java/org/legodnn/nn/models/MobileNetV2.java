package org.legodnn.nn.models;

import org.legodnn.nn.Conv2d;
import org.legodnn.nn.Dropout;
import org.legodnn.nn.Init;
import org.legodnn.nn.Linear;
import org.legodnn.nn.Module;
import org.legodnn.nn.Sequential;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/**
 * torchvision's MobileNetV2 (Sandler et al.), the depthwise-separable network of the LegoDNN evaluation, with
 * torchvision's module tree so its weights load by name: {@code features.0} (3×3/2 conv + BN + ReLU6),
 * {@code features.1..17} {@link InvertedResidual}s, {@code features.18} (1×1 conv + BN + ReLU6 to 1280),
 * global average pooling, and {@code classifier} = Dropout(0.2), Linear. Channel counts are scaled by the
 * width multiplier and rounded to multiples of 8 as torchvision's {@code _make_divisible} does; width 1.0
 * and 1000 classes give 3,504,872 parameters. Weights start as torchvision initializes them.
 */
public final class MobileNetV2 extends Module {

    /** Expansion t, output channels c, repeats n, first stride s of each stage (the paper's Table 2). */
    private static final int[][] SETTING = {
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1},
    };

    private final Sequential features;
    private final Sequential classifier;
    private final int lastChannel;

    /** Width 1.0. */
    public MobileNetV2(int inChannels, int numClasses) {
        this(inChannels, numClasses, 1.0f);
    }

    public MobileNetV2(int inChannels, int numClasses, float widthMult) {
        if (inChannels <= 0 || numClasses <= 0 || !(widthMult > 0)) {
            throw new IllegalArgumentException("MobileNetV2: " + inChannels + " input channels, " + numClasses
                    + " classes, width " + widthMult + " (expected all positive)");
        }
        int inputChannel = makeDivisible(32 * widthMult, 8);
        lastChannel = makeDivisible(1280 * Math.max(1.0f, widthMult), 8);
        features = registerModule("features", new Sequential());
        features.add(InvertedResidual.convBnRelu6(inChannels, inputChannel, 3, 2, 1));
        for (int[] s : SETTING) {
            int out = makeDivisible(s[1] * widthMult, 8);
            for (int i = 0; i < s[2]; i++) {
                features.add(new InvertedResidual(inputChannel, out, i == 0 ? s[3] : 1, s[0]));
                inputChannel = out;
            }
        }
        features.add(InvertedResidual.convBnRelu6(inputChannel, lastChannel, 1, 1, 1));
        classifier = registerModule("classifier", new Sequential(new Dropout(0.2f), new Linear(lastChannel, numClasses)));
        initLikeTorchvision();
    }

    /** Conv: Kaiming normal (fan_out), zero bias; linear: normal(0, 0.01), zero bias; BN is already 1 and 0. */
    private void initLikeTorchvision() {
        for (Module m : namedModules().values()) {
            if (m instanceof Conv2d conv) {
                Init.kaimingNormal(conv.weight(), 0, Init.FanMode.FAN_OUT, Init.Nonlinearity.RELU, Init.defaultRandom());
                if (conv.bias() != null) {
                    Init.constant(conv.bias(), 0f);
                }
            } else if (m instanceof Linear lin) {
                Init.normal(lin.weight(), 0, 0.01, Init.defaultRandom());
                Init.constant(lin.bias(), 0f);
            }
        }
    }

    /**
     * torchvision's {@code _make_divisible}: the nearest multiple of {@code divisor} (at least {@code divisor}),
     * moved up one step if rounding lost more than 10%.
     */
    static int makeDivisible(float v, int divisor) {
        int newV = Math.max(divisor, (int) (v + divisor / 2.0f) / divisor * divisor);
        if (newV < 0.9f * v) {
            newV += divisor;
        }
        return newV;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = features.call(x);
        return classifier.call(Ops.flatten(Ops.globalAvgPool(out)));
    }

    public Sequential features() {
        return features;
    }

    public Sequential classifier() {
        return classifier;
    }

    /** Channels entering the classifier. */
    public int lastChannel() {
        return lastChannel;
    }
}
