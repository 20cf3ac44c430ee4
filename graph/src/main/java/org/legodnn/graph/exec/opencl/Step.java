package org.legodnn.graph.exec.opencl;

import java.util.List;
import org.legodnn.kernels.opencl.DeviceBuffer;
import org.legodnn.kernels.opencl.OpenClKernels;

/**
 * One launch (or a few) of the OpenCL plan: it computes one or more graph nodes (a convolution with the
 * BatchNorm, residual add and ReLU folded into it is one step) into one new device buffer.
 */
interface Step {

    /** The graph nodes it computes, for messages and profiles, e.g. {@code "layer1.0.conv1+bn1+relu"}. */
    String nodes();

    /** Everything it reads (constants included); null entries are absent optional operands. */
    List<Operand> inputs();

    /** The slot that it writes. */
    int output();

    /** The size of its result. */
    long outputFloats();

    /** Enqueues the work; {@code y} is a fresh buffer of {@link #outputFloats()} floats. */
    void run(OpenClKernels kernels, Frame frame, DeviceBuffer y);
}
