package org.legodnn.graph.exec.opencl;

import org.legodnn.kernels.opencl.Clamp;
import org.legodnn.kernels.opencl.DeviceBuffer;
import org.legodnn.kernels.opencl.OpenClKernels;

/** An inference BatchNorm that no convolution absorbed: {@code x·scale[c] + shift[c]}, then a clamp. */
record AffineStep(int n, int c, int hw, int x, DeviceBuffer scale, DeviceBuffer shift, Clamp clamp, int y)
        implements Step {

    @Override
    public void run(OpenClKernels kernels, DeviceBuffer[] b) {
        kernels.channelAffine(n, c, hw, b[x], scale, shift, clamp, b[y]);
    }
}
