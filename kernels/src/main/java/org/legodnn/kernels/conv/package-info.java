/**
 * Convolution: the training entry points with their gradients (ConvKernel, which picks im2col + GEMM, a direct
 * depthwise loop, or the transposed convolution's path) and the prepared-inference entry point (PackedConv: weights
 * packed once, epilogue fused, Winograd F(4x4,3x3) where it pays), all over one ConvGeometry.
 */
package org.legodnn.kernels.conv;
