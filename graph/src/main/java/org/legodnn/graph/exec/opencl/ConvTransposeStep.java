package org.legodnn.graph.exec.opencl;

import org.legodnn.kernels.opencl.ConvTranspose2dShape;
import org.legodnn.kernels.opencl.DeviceBuffer;
import org.legodnn.kernels.opencl.OpenClKernels;

/** A transposed convolution (a decoder's learned up-sampling) with its bias; {@code bias} is -1 for none. */
record ConvTransposeStep(ConvTranspose2dShape shape, int x, int weight, int bias, int y) implements Step {

    @Override
    public void run(OpenClKernels kernels, DeviceBuffer[] b) {
        kernels.convTranspose2d(shape, b[x], b[weight], bias < 0 ? null : b[bias], b[y]);
    }
}
