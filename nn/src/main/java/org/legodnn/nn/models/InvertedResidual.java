package org.legodnn.nn.models;

import org.legodnn.nn.BatchNorm2d;
import org.legodnn.nn.Conv2d;
import org.legodnn.nn.Init;
import org.legodnn.nn.Module;
import org.legodnn.nn.ReLU6;
import org.legodnn.nn.Sequential;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/**
 * MobileNetV2's inverted residual unit as torchvision 0.14 writes it: an optional 1×1 expansion
 * (conv + BN + ReLU6), a depthwise 3×3 (conv + BN + ReLU6), and a linear 1×1 projection (conv + BN), all in
 * one {@link Sequential} named {@code conv}; the input is added back when stride is 1 and the width is kept.
 * With expansion the names are {@code conv.0.0} (expand conv), {@code conv.0.1}, {@code conv.1.0}
 * (depthwise), {@code conv.1.1}, {@code conv.2} (project), {@code conv.3}; without it {@code conv.0.*} is the
 * depthwise stage and the projection is {@code conv.1}/{@code conv.2}.
 */
public final class InvertedResidual extends Module {

    private final boolean useResConnect;
    private final Sequential conv;

    public InvertedResidual(int inp, int oup, int stride, int expandRatio) {
        if (stride != 1 && stride != 2) {
            throw new IllegalArgumentException("InvertedResidual: stride " + stride + " (expected 1 or 2)");
        }
        int hidden = Math.round(inp * (float) expandRatio);
        useResConnect = stride == 1 && inp == oup;
        conv = registerModule("conv", new Sequential());
        if (expandRatio != 1) {
            conv.add(convBnRelu6(inp, hidden, 1, 1, 1));
        }
        conv.add(convBnRelu6(hidden, hidden, 3, stride, hidden));
        conv.add(new Conv2d(hidden, oup, 1, 1, 0, 1, 1, false, Init.defaultRandom()));
        conv.add(new BatchNorm2d(oup));
    }

    /** torchvision's {@code Conv2dNormActivation} with ReLU6: {@code 0} conv (no bias), {@code 1} BN, {@code 2} ReLU6. */
    static Sequential convBnRelu6(int in, int out, int kernel, int stride, int groups) {
        return new Sequential(
                new Conv2d(in, out, kernel, stride, (kernel - 1) / 2, 1, groups, false, Init.defaultRandom()),
                new BatchNorm2d(out),
                new ReLU6());
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = conv.call(x);
        return useResConnect ? Ops.add(x, out) : out;
    }

    /** Whether the input is added to the output. */
    public boolean usesResidual() {
        return useResConnect;
    }

    public Sequential conv() {
        return conv;
    }
}
