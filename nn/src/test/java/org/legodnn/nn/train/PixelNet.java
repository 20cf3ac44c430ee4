package org.legodnn.nn.train;

import java.util.Random;
import org.legodnn.nn.Conv2d;
import org.legodnn.nn.Module;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/** A segmentation model small enough for training tests: two 3×3 convolutions, logits per pixel. */
final class PixelNet extends Module {

    private final Conv2d conv1;
    private final Conv2d conv2;

    PixelNet(int inChannels, int classes, long seed) {
        Random rnd = new Random(seed);
        conv1 = registerModule("conv1", new Conv2d(inChannels, 8, 3, 1, 1, 1, 1, true, rnd));
        conv2 = registerModule("conv2", new Conv2d(8, classes, 3, 1, 1, 1, 1, true, rnd));
    }

    @Override
    public Tensor forward(Tensor x) {
        return conv2.call(Ops.relu(conv1.call(x)));
    }
}
