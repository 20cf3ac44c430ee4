package org.legodnn.nn.models;

import org.legodnn.nn.BatchNorm2d;
import org.legodnn.nn.Conv2d;
import org.legodnn.nn.Module;
import org.legodnn.nn.Sequential;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/**
 * The residual unit of He et al.'s CIFAR ResNets: two 3×3 conv + BN layers and a shortcut, out =
 * relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)). The shortcut is a 1×1 conv + BN
 * ({@code shortcut.0}, {@code shortcut.1}) when the block changes stride or width, and an empty
 * {@link Sequential} (the identity, no weights) otherwise, as in the common PyTorch definition.
 */
public final class BasicBlock extends Module {

    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final Sequential shortcut;

    public BasicBlock(int inChannels, int outChannels, int stride) {
        conv1 = registerModule("conv1", new Conv2d(inChannels, outChannels, 3, stride, 1, false));
        bn1 = registerModule("bn1", new BatchNorm2d(outChannels));
        conv2 = registerModule("conv2", new Conv2d(outChannels, outChannels, 3, 1, 1, false));
        bn2 = registerModule("bn2", new BatchNorm2d(outChannels));
        shortcut = registerModule("shortcut", new Sequential());
        if (stride != 1 || inChannels != outChannels) {
            shortcut.add(new Conv2d(inChannels, outChannels, 1, stride, 0, false));
            shortcut.add(new BatchNorm2d(outChannels));
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = Ops.relu(bn1.call(conv1.call(x)));
        out = bn2.call(conv2.call(out));
        return Ops.relu(Ops.add(out, shortcut.call(x)));
    }

    public Conv2d conv1() {
        return conv1;
    }

    public BatchNorm2d bn1() {
        return bn1;
    }

    public Conv2d conv2() {
        return conv2;
    }

    public BatchNorm2d bn2() {
        return bn2;
    }

    /** The projection shortcut, or an empty {@link Sequential} for the identity. */
    public Sequential shortcut() {
        return shortcut;
    }
}
