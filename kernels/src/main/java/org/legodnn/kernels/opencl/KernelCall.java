package org.legodnn.kernels.opencl;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_kernel;

/**
 * One launch of one kernel: its arguments in order, then the grid. Written as a chain
 * ({@code call.arg(x).arg(n).launch1d(n)}) so that a launch reads like the kernel's signature, and every
 * failure names the kernel (and the argument) it happened in.
 */
final class KernelCall {

    /** Work-group size of one-dimensional launches; kernels guard against the rounded-up tail. */
    static final int LOCAL_1D = 64;

    private final cl_command_queue queue;
    private final cl_kernel kernel;
    private final String name;
    private int index;

    KernelCall(cl_command_queue queue, cl_kernel kernel, String name) {
        this.queue = queue;
        this.kernel = kernel;
        this.name = name;
    }

    KernelCall arg(DeviceBuffer b) {
        return set(Sizeof.cl_mem, Pointer.to(b.mem()));
    }

    KernelCall arg(int v) {
        return set(Sizeof.cl_int, Pointer.to(new int[] {v}));
    }

    KernelCall arg(float v) {
        return set(Sizeof.cl_float, Pointer.to(new float[] {v}));
    }

    /** A {@code long} argument (OpenCL C {@code long}), for offsets into big tensors. */
    KernelCall arg(long v) {
        return set(Sizeof.cl_long, Pointer.to(new long[] {v}));
    }

    /** {@code count} work items in groups of {@link #LOCAL_1D}; the kernel must ignore ids {@code >= count}. */
    void launch1d(long count) {
        if (count <= 0) {
            return;
        }
        long global = (count + LOCAL_1D - 1) / LOCAL_1D * LOCAL_1D;
        launch(new long[] {global}, new long[] {LOCAL_1D});
    }

    /** An explicit grid; each global size must be a multiple of the local size ({@code local} may be null). */
    void launch(long[] global, long[] local) {
        int status = CL.clEnqueueNDRangeKernel(queue, kernel, global.length, null, global, local, 0, null, null);
        if (status != CL.CL_SUCCESS) {
            throw OpenClException.failed(status, "kernel " + name + " (global " + java.util.Arrays.toString(global)
                    + ", local " + java.util.Arrays.toString(local) + ")");
        }
    }

    private KernelCall set(long size, Pointer value) {
        int status = CL.clSetKernelArg(kernel, index, size, value);
        if (status != CL.CL_SUCCESS) {
            throw OpenClException.failed(status, "argument " + index + " of kernel " + name);
        }
        index++;
        return this;
    }
}
