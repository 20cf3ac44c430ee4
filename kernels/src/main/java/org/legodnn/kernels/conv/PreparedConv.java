package org.legodnn.kernels.conv;

/**
 * A convolution whose constants were prepared once, as a compiled plan calls it: float weights packed for the
 * matrix kernel ({@link PackedConv}) or int8 weights run in integers
 * ({@link org.legodnn.kernels.quant.Int8Conv}). The epilogue (bias, clamp) is part of what was prepared; the
 * batch and image size come with each call.
 */
public interface PreparedConv {

    int outChannels();

    int kernelH();

    int kernelW();

    /**
     * {@code y = clamp(conv2d(x) + bias + residual, lo, hi)} for the geometry {@code g}; {@code residual} may be
     * null; {@code y} must not be {@code x} or {@code residual}.
     */
    void forward(ConvGeometry g, float[] x, float[] residual, float[] y);
}
