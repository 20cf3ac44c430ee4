package org.legodnn.graph.exec.opencl;

import org.legodnn.kernels.opencl.DeviceBuffer;
import org.legodnn.kernels.opencl.OpenClKernels;

/**
 * One step of an OpenCL plan: the kernel launches (one or a few) that compute one lowered node, with whatever
 * was fused into it, from and into the plan's device buffers. Operands are buffer indices, fixed when planning.
 */
@FunctionalInterface
interface Step {

    /** Enqueues the work; {@code buffers} holds every buffer of the plan by its index. */
    void run(OpenClKernels kernels, DeviceBuffer[] buffers);
}
