package org.legodnn.graph.exec.opencl;

import java.util.List;
import org.legodnn.kernels.opencl.Clamp;
import org.legodnn.kernels.opencl.DeviceBuffer;
import org.legodnn.kernels.opencl.OpenClKernels;

/**
 * A pointwise activation that could not be folded into the op before it: a clamp (ReLU, ReLU6, Clip) when
 * {@code unary} is null, otherwise one of the other activations with its parameters.
 */
record ActivationStep(String nodes, Clamp clamp, OpenClKernels.Unary unary, float p0, float p1, int count, Operand x,
                      int output) implements Step {

    @Override
    public List<Operand> inputs() {
        return List.of(x);
    }

    @Override
    public long outputFloats() {
        return count;
    }

    @Override
    public void run(OpenClKernels kernels, Frame frame, DeviceBuffer y) {
        if (unary == null) {
            kernels.clamp(count, frame.get(x), clamp, y);
        } else {
            kernels.unary(unary, p0, p1, count, frame.get(x), y);
        }
    }
}
