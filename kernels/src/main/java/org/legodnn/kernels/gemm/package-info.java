/**
 * Matrix products: the packed micro-kernel that every convolution and Linear layer ends in (GemmMicroKernel), the
 * general GEMM of training (Gemm, with its packing and a direct path for small shapes) and the prepared-inference
 * products on weights packed once (PackedMatrix with GemmPacked, PackedColumns with GemmPackedColumns).
 */
package org.legodnn.kernels.gemm;
