package org.legodnn.kernels.opencl;

import org.legodnn.kernels.conv.ConvGeometry;

/**
 * How {@link OpenClKernels#conv2d} computes a convolution. {@link #AUTO} picks by shape; the others exist so
 * that tests can check every path on every shape it accepts.
 */
public enum ConvPath {
    /** Chosen by {@link #choose}. */
    AUTO,
    /** A 1x1, stride-1, unpadded convolution is a matrix product on the input as it is (batched, grouped). */
    GEMM_1X1,
    /** Unfold the input (im2col), then one batched, grouped matrix product. */
    IM2COL_GEMM,
    /** One work-item per output value, looping over its window: any geometry. */
    DIRECT,
    /** One input channel per group (MobileNet's depthwise convolutions). */
    DEPTHWISE;

    /**
     * The path for {@code g}: depthwise convolutions go to their own kernel, unpadded 1x1 stride-1 ones to a
     * plain product, small reductions (fewer than 16 multiply-adds per output, or fewer than 4 output channels
     * per group) to the direct kernel, everything else to im2col and the tiled product.
     */
    public static ConvPath choose(ConvGeometry g) {
        if (DEPTHWISE.accepts(g)) {
            return DEPTHWISE;
        }
        if (GEMM_1X1.accepts(g)) {
            return GEMM_1X1;
        }
        if (g.cinPerGroup() * g.kh() * g.kw() < 16 || g.coutPerGroup() < 4) {
            return DIRECT;
        }
        return IM2COL_GEMM;
    }

    /** Whether this path can compute {@code g}. */
    public boolean accepts(ConvGeometry g) {
        return switch (this) {
            case AUTO, IM2COL_GEMM, DIRECT -> true;
            case GEMM_1X1 -> g.kh() == 1 && g.kw() == 1 && g.strideH() == 1 && g.strideW() == 1 && g.padH() == 0
                    && g.padW() == 0;
            case DEPTHWISE -> g.groups() == g.cin() && g.groups() > 1;
        };
    }
}
