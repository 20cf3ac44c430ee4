package org.legodnn.graph.exec.opencl;

import org.legodnn.kernels.opencl.Clamp;
import org.legodnn.kernels.opencl.DeviceBuffer;
import org.legodnn.kernels.opencl.OpenClKernels;

/**
 * Add, Sub, Mul or Div. Equal shapes under Add take the plain residual-add kernel (with a folded clamp);
 * anything else goes through numpy broadcasting with the strides worked out when planning
 * ({@code aStrides} null: the plain add).
 */
record BinaryStep(OpenClKernels.Binary op, int[] shape, int[] aStrides, int[] bStrides, Clamp clamp, int a, int bIn,
                  int y) implements Step {

    @Override
    public void run(OpenClKernels kernels, DeviceBuffer[] b) {
        if (aStrides == null) {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            kernels.add((int) n, b[a], b[bIn], clamp, b[y]);
        } else {
            kernels.broadcast(op, shape, aStrides, bStrides, b[a], b[bIn], b[y]);
        }
    }
}
