package org.legodnn.nn.models;

import org.legodnn.nn.ConvTranspose2d;
import org.legodnn.nn.Init;
import org.legodnn.nn.Module;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * One step up U-Net's expanding path, where the coarse features regain the detail of the encoder: a 2×2
 * transposed convolution with stride 2 ({@code up}) doubles the resolution and halves the channels, the
 * encoder's features at that resolution are concatenated in front of it (skip first, as milesial's PyTorch
 * {@code Up}: {@code cat([x2, x1])}), and a {@link DoubleConv} ({@code conv}) mixes the two.
 */
public final class UNetUp extends Module {

    private final ConvTranspose2d up;
    private final DoubleConv conv;

    /** {@code inChannels} come from below; the skip brings {@code inChannels / 2}. */
    public UNetUp(int inChannels, int outChannels) {
        if (inChannels < 2 || inChannels % 2 != 0) {
            throw new IllegalArgumentException("UNetUp: " + inChannels + " input channels (expected an even number)");
        }
        up = registerModule("up", new ConvTranspose2d(inChannels, inChannels / 2, 2, 2, 0, 0, 1, 1, true,
                Init.defaultRandom()));
        conv = registerModule("conv", new DoubleConv(inChannels, outChannels));
    }

    /** The coarse features {@code below} [N, C, h, w], upsampled and joined with {@code skip} [N, C/2, 2h, 2w]. */
    public Tensor forward(Tensor below, Tensor skip) {
        Tensor x = up.call(below);
        if (skip.rank() != 4 || skip.dim(0) != x.dim(0) || skip.dim(2) != x.dim(2) || skip.dim(3) != x.dim(3)) {
            throw new IllegalArgumentException("UNetUp: skip features " + Shapes.format(skip.shape())
                    + " do not match the upsampled " + Shapes.format(x.shape()) + " in batch, height and width");
        }
        return conv.call(Ops.concat(skip, x));
    }

    /** An up step needs its skip features as well; use {@link #forward(Tensor, Tensor)}. */
    @Override
    public Tensor forward(Tensor x) {
        throw new UnsupportedOperationException("UNetUp: needs the skip features too (forward(below, skip))");
    }
}
