package org.legodnn.graph.exec.opencl;

import java.util.List;
import org.legodnn.kernels.opencl.DeviceBuffer;
import org.legodnn.kernels.opencl.OpenClKernels;

/** A batched MatMul: {@code batch} products of {@code m×k} by {@code k×n}; a batch stride of 0 shares the operand. */
record MatMulStep(String nodes, int batch, int m, int n, int k, Operand a, int aBatchStride, Operand b,
                  int bBatchStride, int output) implements Step {

    @Override
    public List<Operand> inputs() {
        return List.of(a, b);
    }

    @Override
    public long outputFloats() {
        return (long) batch * m * n;
    }

    @Override
    public void run(OpenClKernels kernels, Frame frame, DeviceBuffer y) {
        kernels.matmulBatched(batch, m, n, k, frame.get(a), aBatchStride, frame.get(b), bBatchStride, y);
    }
}
