package org.legodnn.graph.exec.opencl;

import org.legodnn.kernels.conv.ConvGeometry;
import org.legodnn.kernels.opencl.Clamp;
import org.legodnn.kernels.opencl.DeviceBuffer;
import org.legodnn.kernels.opencl.OpenClKernels;

/**
 * A convolution with whatever followed it folded in: the BatchNorm (already in the weight and bias), a
 * residual add ({@code residual}, -1 for none) and a ReLU or ReLU6 ({@code clamp}).
 */
record ConvStep(ConvGeometry geometry, int x, int weight, int bias, int residual, Clamp clamp, int y)
        implements Step {

    @Override
    public void run(OpenClKernels kernels, DeviceBuffer[] b) {
        kernels.conv2d(geometry, b[x], b[weight], bias < 0 ? null : b[bias], residual < 0 ? null : b[residual], clamp,
                b[y]);
    }
}
