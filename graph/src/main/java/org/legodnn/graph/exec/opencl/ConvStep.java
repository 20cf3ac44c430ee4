package org.legodnn.graph.exec.opencl;

import java.util.Arrays;
import java.util.List;
import org.legodnn.kernels.ConvGeometry;
import org.legodnn.kernels.opencl.Clamp;
import org.legodnn.kernels.opencl.DeviceBuffer;
import org.legodnn.kernels.opencl.OpenClKernels;

/**
 * A convolution with whatever followed it folded in: the BatchNorm (already in {@code weight} and
 * {@code bias}), a residual add ({@code residual}, nullable) and a ReLU or ReLU6 ({@code clamp}).
 */
record ConvStep(String nodes, ConvGeometry geometry, Operand x, DeviceBuffer weight, DeviceBuffer bias,
                Operand residual, Clamp clamp, int output) implements Step {

    @Override
    public List<Operand> inputs() {
        return Arrays.asList(x, residual);
    }

    @Override
    public long outputFloats() {
        return geometry.outputSize();
    }

    @Override
    public void run(OpenClKernels kernels, Frame frame, DeviceBuffer y) {
        kernels.conv2d(geometry, frame.get(x), weight, bias, frame.getOrNull(residual), clamp, y);
    }
}
