/**
 * Int8 inference: convolutions whose weights are int8 and whose input is quantized to 8 bits on the way in
 * ({@link org.legodnn.kernels.quant.Int8Conv}), accumulated exactly in int32 by a Vector API micro-kernel
 * ({@link org.legodnn.kernels.quant.Int8Gemm}) and turned back into floats in the epilogue. The definition they
 * are checked against is {@link org.legodnn.kernels.reference.Int8ConvReference}.
 */
package org.legodnn.kernels.quant;
