package org.legodnn.graph.exec.opencl;

import java.util.List;
import org.legodnn.kernels.opencl.Clamp;
import org.legodnn.kernels.opencl.DeviceBuffer;
import org.legodnn.kernels.opencl.OpenClKernels;

/**
 * Add, Sub, Mul or Div. Equal shapes under Add take the plain residual-add kernel (with a following ReLU
 * folded in); anything else goes through numpy broadcasting with the strides worked out when planning.
 */
record BinaryStep(String nodes, OpenClKernels.Binary op, int[] shape, int[] aStrides, int[] bStrides, Clamp clamp,
                  Operand a, Operand b, int output) implements Step {

    /** Whether this is the plain same-shape add. */
    boolean plainAdd() {
        return aStrides == null;
    }

    @Override
    public List<Operand> inputs() {
        return List.of(a, b);
    }

    @Override
    public long outputFloats() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public void run(OpenClKernels kernels, Frame frame, DeviceBuffer y) {
        if (plainAdd()) {
            kernels.add((int) outputFloats(), frame.get(a), frame.get(b), clamp, y);
        } else {
            kernels.broadcast(op, shape, aStrides, bStrides, frame.get(a), frame.get(b), y);
        }
    }
}
