package org.legodnn.graph.exec.opencl;

import org.legodnn.kernels.opencl.Clamp;
import org.legodnn.kernels.opencl.DeviceBuffer;
import org.legodnn.kernels.opencl.OpenClKernels;

/**
 * A pointwise activation that could not be folded into the op before it: a clamp (ReLU, ReLU6, Clip) when
 * {@code unary} is null, otherwise one of the other activations with its parameters.
 */
record ActivationStep(Clamp clamp, OpenClKernels.Unary unary, float p0, float p1, int count, int x, int y)
        implements Step {

    @Override
    public void run(OpenClKernels kernels, DeviceBuffer[] b) {
        if (unary == null) {
            kernels.clamp(count, b[x], clamp, b[y]);
        } else {
            kernels.unary(unary, p0, p1, count, b[x], b[y]);
        }
    }
}
