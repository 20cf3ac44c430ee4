package org.legodnn.graph.exec.opencl;

import java.util.Arrays;
import java.util.List;
import org.legodnn.kernels.opencl.Clamp;
import org.legodnn.kernels.opencl.DeviceBuffer;
import org.legodnn.kernels.opencl.OpenClKernels;

/**
 * ONNX Gemm ({@code alpha·op(A)·op(B) + beta·C}, C broadcast through strides) and 2-D MatMul, with a
 * following ReLU or Clip folded in. PyTorch's Linear is Gemm with transB and a bias {@code [n]}.
 */
record GemmStep(String nodes, boolean transA, boolean transB, int m, int n, int k, float alpha, Operand a, Operand b,
                float beta, Operand c, int cRowStride, int cColStride, Clamp clamp, int output) implements Step {

    @Override
    public List<Operand> inputs() {
        return Arrays.asList(a, b, c);
    }

    @Override
    public long outputFloats() {
        return (long) m * n;
    }

    @Override
    public void run(OpenClKernels kernels, Frame frame, DeviceBuffer y) {
        kernels.gemm(transA, transB, m, n, k, alpha, frame.get(a), frame.get(b), beta, frame.getOrNull(c), cRowStride,
                cColStride, clamp, y);
    }
}
