package org.legodnn.nn.models;

import org.legodnn.nn.Conv2d;
import org.legodnn.nn.Module;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * U-Net (Ronneberger et al., MICCAI 2015), a segmentation model that keeps fine detail by handing the encoder's
 * features at every resolution to the decoder (skip concatenation). The structure and names are those of the
 * widely used PyTorch U-Net (milesial/Pytorch-UNet, with transposed-convolution up-sampling): {@code inc} =
 * {@link DoubleConv}, four {@link UNetDown} steps {@code down1..down4}, four {@link UNetUp} steps
 * {@code up1..up4}, and {@code outc.conv}, a 1×1 conv with bias to the classes. Convolutions are padded, so
 * the output has the input's size, {@code [N, classes, H, W]}, for H and W divisible by 16.
 *
 * <p>Widths are {@code w, 2w, 4w, 8w, 16w} from the top level down (the paper's w is 64: 31 M parameters);
 * the zoo's {@code unet} has w = 8 for 64×64 images: 8, 16, 32, 64, 128 channels; with one
 * input channel and 11 classes, 486,499 parameters, 1.95 MB of float32 weights with the BatchNorm statistics.
 */
public final class UNet extends Module {

    private static final int LEVELS = 4;

    private final DoubleConv inc;
    private final UNetDown[] downs = new UNetDown[LEVELS];
    private final UNetUp[] ups = new UNetUp[LEVELS];
    private final Module outc;

    /** The zoo's U-Net: base width 8. */
    public static UNet unet(int inChannels, int numClasses) {
        return new UNet(inChannels, numClasses, 8);
    }

    /** @param width channels at the top level (64 in the paper) */
    public UNet(int inChannels, int numClasses, int width) {
        if (inChannels <= 0 || numClasses <= 0 || width <= 0) {
            throw new IllegalArgumentException("UNet: " + inChannels + " input channels, " + numClasses
                    + " classes, width " + width + " (expected positive sizes)");
        }
        inc = registerModule("inc", new DoubleConv(inChannels, width));
        for (int i = 0; i < LEVELS; i++) {
            downs[i] = registerModule("down" + (i + 1), new UNetDown(width << i, width << (i + 1)));
        }
        for (int i = 0; i < LEVELS; i++) {
            int in = width << (LEVELS - i);
            ups[i] = registerModule("up" + (i + 1), new UNetUp(in, in / 2));
        }
        outc = registerModule("outc", new OutConv(width, numClasses));
    }

    @Override
    public Tensor forward(Tensor x) {
        int multiple = 1 << LEVELS;
        if (x.rank() != 4 || x.dim(2) % multiple != 0 || x.dim(3) % multiple != 0) {
            throw new IllegalArgumentException("UNet: expected [N, C, H, W] with H and W divisible by " + multiple
                    + ", got " + Shapes.format(x.shape()));
        }
        Tensor[] skips = new Tensor[LEVELS];
        Tensor y = inc.call(x);
        for (int i = 0; i < LEVELS; i++) {
            skips[i] = y;
            y = downs[i].call(y);
        }
        for (int i = 0; i < LEVELS; i++) {
            y = ups[i].forward(y, skips[LEVELS - 1 - i]);
        }
        return outc.call(y);
    }

    /** milesial's {@code OutConv}: the final 1×1 conv, named {@code conv}. */
    private static final class OutConv extends Module {

        private final Conv2d conv;

        OutConv(int inChannels, int numClasses) {
            conv = registerModule("conv", new Conv2d(inChannels, numClasses, 1, 1, 0, true));
        }

        @Override
        public Tensor forward(Tensor x) {
            return conv.call(x);
        }
    }
}
