package org.legodnn.kernels.opencl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;

/**
 * One OpenCL device opened for computing: its context, one in-order command queue (so that kernels run in
 * the order they are enqueued and no events are needed), the programs compiled for it (each source file
 * once) and a pool of device buffers. The entry point of the OpenCL backend: pick a device by index or by
 * name, move floats to and from it, and hand it to {@link OpenClKernels}.
 *
 * <p>Not thread-safe: one thread at a time uses a device (kernel objects carry their arguments).
 */
public final class OpenClDevice implements AutoCloseable {

    private final OpenClDeviceInfo info;
    private final cl_device_id device;
    private final cl_context context;
    private final cl_command_queue queue;
    private final BufferPool pool;
    private final Map<String, OpenClProgram> programs = new HashMap<>();
    private final long maxWorkGroupSize;
    private DeviceBuffer dummy;
    private boolean closed;

    private OpenClDevice(OpenClPlatforms.Found found) {
        this.info = found.info();
        this.device = found.device();
        int[] status = new int[1];
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL.CL_CONTEXT_PLATFORM, found.platform());
        this.context = CL.clCreateContext(props, 1, new cl_device_id[] {device}, null, null, status);
        OpenClException.check(status[0], "clCreateContext on " + info.name());
        @SuppressWarnings("deprecation") // clCreateCommandQueue is the call that OpenCL 1.2 drivers (NVIDIA's) have
        cl_command_queue q = CL.clCreateCommandQueue(context, device, 0, status);
        if (status[0] != CL.CL_SUCCESS) {
            CL.clReleaseContext(context);
            throw OpenClException.failed(status[0], "clCreateCommandQueue on " + info.name());
        }
        this.queue = q;
        this.pool = new BufferPool(context);
        this.maxWorkGroupSize = OpenClPlatforms.deviceSize(device, CL.CL_DEVICE_MAX_WORK_GROUP_SIZE);
    }

    /**
     * Opens the device that {@code spec} names: {@code "opencl"} for the first, {@code "opencl:N"} for the
     * N-th over all platforms ({@link #list()} order), {@code "opencl:TEXT"} for the first whose platform or
     * device name contains TEXT (case-insensitive), e.g. {@code "opencl:nvidia"}.
     *
     * @throws OpenClException with one line: no platform ("no OpenCL platform found (install an ICD such as
     *                         pocl-opencl-icd)"), no such device, JOCL missing, or a failed context
     */
    public static OpenClDevice open(String spec) {
        return new OpenClDevice(OpenClPlatforms.pick(spec));
    }

    /** Every OpenCL device on this machine; empty when there is no platform. */
    public static List<OpenClDeviceInfo> list() {
        List<OpenClDeviceInfo> out = new ArrayList<>();
        for (OpenClPlatforms.Found f : OpenClPlatforms.all()) {
            out.add(f.info());
        }
        return out;
    }

    /**
     * Whether at least one OpenCL device can be opened here. Never throws: a missing JOCL, ICD loader or
     * platform all answer false (see {@link #unavailableReason()} for why).
     */
    public static boolean available() {
        return unavailableReason() == null;
    }

    /** Why no OpenCL device is available, in one line, or null when one is. */
    public static String unavailableReason() {
        try {
            return OpenClPlatforms.all().isEmpty() ? OpenClPlatforms.NO_PLATFORM : null;
        } catch (OpenClException e) {
            return e.getMessage();
        } catch (LinkageError e) {
            return "OpenCL support cannot load: " + e;
        }
    }

    public OpenClDeviceInfo info() {
        return info;
    }

    /** The largest work-group the device runs (e.g. 1024 on NVIDIA, 4096 on PoCL). */
    public long maxWorkGroupSize() {
        return maxWorkGroupSize;
    }

    // ---- memory -------------------------------------------------------------------------------------------

    /** A pooled buffer of {@code floats} floats with undefined contents; close it to give it back. */
    public DeviceBuffer allocate(long floats) {
        checkOpen();
        return pool.acquire(floats);
    }

    /** A pooled buffer holding a copy of {@code data}. */
    public DeviceBuffer upload(float[] data) {
        DeviceBuffer b = allocate(data.length);
        write(b, data);
        return b;
    }

    /** An unpooled buffer holding a copy of {@code data}: for weights, which live as long as a model does. */
    public DeviceBuffer uploadConstant(float[] data) {
        checkOpen();
        DeviceBuffer b = pool.unpooled(data.length);
        write(b, data);
        return b;
    }

    /** An unpooled buffer holding {@code data} as 32-bit ints (index tables that kernels read as {@code int*}). */
    public DeviceBuffer uploadConstant(int[] data) {
        checkOpen();
        DeviceBuffer b = pool.unpooled(data.length);
        if (data.length > 0) {
            OpenClException.check(CL.clEnqueueWriteBuffer(queue, b.mem(), true, 0, (long) data.length * Integer.BYTES,
                    Pointer.to(data), 0, null, null), "writing " + data.length + " ints to the device");
        }
        return b;
    }

    /** Copies {@code src} into the start of {@code dst} (blocking: {@code src} may be reused at once). */
    public void write(DeviceBuffer dst, float[] src) {
        checkLength(dst, src.length, "write");
        if (src.length > 0) {
            OpenClException.check(CL.clEnqueueWriteBuffer(queue, dst.mem(), true, 0, (long) src.length * Float.BYTES,
                    Pointer.to(src), 0, null, null), "writing " + src.length + " floats to the device");
        }
    }

    /** Copies the first {@code dst.length} floats of {@code src} to the host, after every queued kernel. */
    public void read(DeviceBuffer src, float[] dst) {
        checkLength(src, dst.length, "read");
        if (dst.length > 0) {
            OpenClException.check(CL.clEnqueueReadBuffer(queue, src.mem(), true, 0, (long) dst.length * Float.BYTES,
                    Pointer.to(dst), 0, null, null), "reading " + dst.length + " floats from the device");
        }
    }

    /** The first {@code count} floats of {@code src}, on the host. */
    public float[] download(DeviceBuffer src, int count) {
        float[] out = new float[count];
        read(src, out);
        return out;
    }

    /** Copies {@code floats} floats between device buffers (queued, in order with the kernels). */
    public void copy(DeviceBuffer src, long srcOffset, DeviceBuffer dst, long dstOffset, long floats) {
        if (floats > 0) {
            OpenClException.check(CL.clEnqueueCopyBuffer(queue, src.mem(), dst.mem(), srcOffset * Float.BYTES,
                    dstOffset * Float.BYTES, floats * Float.BYTES, 0, null, null), "copying " + floats + " floats on the device");
        }
    }

    /** Waits until every queued command has finished (for timing; reads already wait). */
    public void finish() {
        checkOpen();
        OpenClException.check(CL.clFinish(queue), "clFinish");
    }

    /** Bytes of device memory held by pooled and unpooled buffers of this device. */
    public long allocatedBytes() {
        return pool.allocatedBytes();
    }

    /** Frees the pooled buffers that nobody uses now. */
    public void trimPool() {
        pool.trim();
    }

    // ---- kernels ------------------------------------------------------------------------------------------

    /** A launch of {@code kernel} from the source file {@code file}, compiled for this device on first use. */
    KernelCall call(String file, String kernel) {
        checkOpen();
        OpenClProgram p = programs.get(file);
        if (p == null) {
            p = OpenClProgram.build(context, device, file);
            programs.put(file, p);
        }
        return new KernelCall(queue, p.kernel(kernel), kernel);
    }

    /** A one-float buffer bound to optional kernel arguments that a launch does not use. */
    DeviceBuffer dummy() {
        if (dummy == null) {
            dummy = uploadConstant(new float[1]);
        }
        return dummy;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        CL.clFinish(queue);
        if (dummy != null) {
            dummy.close();
        }
        for (OpenClProgram p : programs.values()) {
            p.close();
        }
        programs.clear();
        pool.close();
        CL.clReleaseCommandQueue(queue);
        CL.clReleaseContext(context);
        closed = true;
    }

    @Override
    public String toString() {
        return info.describe();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("OpenCL device " + info.name() + " is closed");
        }
    }

    private static void checkLength(DeviceBuffer b, int length, String what) {
        if (length > b.floats()) {
            throw new IllegalArgumentException("OpenCL " + what + ": " + length + " floats do not fit a device buffer of "
                    + b.floats());
        }
    }
}
