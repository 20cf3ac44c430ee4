package org.legodnn.graph.exec.opencl;

import java.util.List;
import org.legodnn.kernels.opencl.Clamp;
import org.legodnn.kernels.opencl.DeviceBuffer;
import org.legodnn.kernels.opencl.OpenClKernels;

/** An inference BatchNorm that no convolution absorbed: {@code x·scale[c] + shift[c]}, then a clamp. */
record AffineStep(String nodes, int n, int c, int hw, Operand x, DeviceBuffer scale, DeviceBuffer shift, Clamp clamp,
                  int output) implements Step {

    @Override
    public List<Operand> inputs() {
        return List.of(x);
    }

    @Override
    public long outputFloats() {
        return (long) n * c * hw;
    }

    @Override
    public void run(OpenClKernels kernels, Frame frame, DeviceBuffer y) {
        kernels.channelAffine(n, c, hw, frame.get(x), scale, shift, clamp, y);
    }
}
