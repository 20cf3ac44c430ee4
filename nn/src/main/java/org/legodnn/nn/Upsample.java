package org.legodnn.nn;

import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * Spatial upsampling by an integer factor, as PyTorch's {@code nn.Upsample(scale_factor=s, mode=...)}:
 * nearest neighbour, or bilinear with {@code align_corners=false}. For an integer factor PyTorch's
 * coordinate scale 1/s equals in/out, so both definitions of bilinear agree.
 */
public final class Upsample extends Module {

    /** How new pixels are computed. */
    public enum Mode { NEAREST, BILINEAR }

    private final int scale;
    private final Mode mode;

    public Upsample(int scale, Mode mode) {
        if (scale <= 0) {
            throw new IllegalArgumentException("Upsample: scale factor " + scale + " must be positive");
        }
        this.scale = scale;
        this.mode = mode;
    }

    /** Nearest-neighbour upsampling by {@code scale}. */
    public static Upsample nearest(int scale) {
        return new Upsample(scale, Mode.NEAREST);
    }

    /** Bilinear upsampling by {@code scale} ({@code align_corners=false}). */
    public static Upsample bilinear(int scale) {
        return new Upsample(scale, Mode.BILINEAR);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("Upsample: expected [N, C, H, W], got " + Shapes.format(x.shape()));
        }
        return switch (mode) {
            case NEAREST -> Ops.upsampleNearest(x, scale);
            case BILINEAR -> Ops.upsampleBilinear(x, x.dim(2) * scale, x.dim(3) * scale);
        };
    }

    public int scale() {
        return scale;
    }

    public Mode mode() {
        return mode;
    }
}
