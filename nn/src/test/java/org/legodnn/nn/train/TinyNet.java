package org.legodnn.nn.train;

import java.util.Random;
import org.legodnn.nn.BatchNorm2d;
import org.legodnn.nn.Conv2d;
import org.legodnn.nn.Linear;
import org.legodnn.nn.Module;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/** A model small enough for training tests: conv, BatchNorm, ReLU, global pooling, linear. */
final class TinyNet extends Module {

    private final Conv2d conv;
    private final BatchNorm2d bn;
    private final Linear fc;

    TinyNet(int inChannels, int classes, long seed) {
        Random rnd = new Random(seed);
        conv = registerModule("conv", new Conv2d(inChannels, 4, 3, 1, 1, 1, 1, true, rnd));
        bn = registerModule("bn", new BatchNorm2d(4));
        fc = registerModule("fc", new Linear(4, classes, true, rnd));
    }

    @Override
    public Tensor forward(Tensor x) {
        return fc.call(Ops.flatten(Ops.globalAvgPool(Ops.relu(bn.call(conv.call(x))))));
    }
}
