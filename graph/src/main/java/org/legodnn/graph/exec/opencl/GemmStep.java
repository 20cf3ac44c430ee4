package org.legodnn.graph.exec.opencl;

import org.legodnn.kernels.opencl.Clamp;
import org.legodnn.kernels.opencl.DeviceBuffer;
import org.legodnn.kernels.opencl.OpenClKernels;

/**
 * ONNX Gemm ({@code alpha·op(A)·op(B) + beta·C}, C broadcast through strides, -1 for none) and 2-D MatMul, with
 * a folded ReLU or Clip. PyTorch's Linear is Gemm with transB and a bias {@code [n]}.
 */
record GemmStep(boolean transA, boolean transB, int m, int n, int k, float alpha, int a, int bIn, float beta, int c,
                int cRowStride, int cColStride, Clamp clamp, int y) implements Step {

    @Override
    public void run(OpenClKernels kernels, DeviceBuffer[] b) {
        kernels.gemm(transA, transB, m, n, k, alpha, b[a], b[bIn], beta, c < 0 ? null : b[c], cRowStride, cColStride,
                clamp, b[y]);
    }
}
