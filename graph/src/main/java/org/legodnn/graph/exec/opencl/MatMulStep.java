package org.legodnn.graph.exec.opencl;

import org.legodnn.kernels.opencl.DeviceBuffer;
import org.legodnn.kernels.opencl.OpenClKernels;

/** A batched MatMul: {@code batch} products of {@code m×k} by {@code k×n}; a batch stride of 0 shares the operand. */
record MatMulStep(int batch, int m, int n, int k, int a, int aBatchStride, int bIn, int bBatchStride, int y)
        implements Step {

    @Override
    public void run(OpenClKernels kernels, DeviceBuffer[] b) {
        kernels.matmulBatched(batch, m, n, k, b[a], aBatchStride, b[bIn], bBatchStride, b[y]);
    }
}
