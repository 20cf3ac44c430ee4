package org.legodnn.kernels.opencl;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.jocl.CL;
import org.jocl.cl_context;
import org.jocl.cl_mem;

/**
 * Reuses device memory by size, so that running a model a second time allocates nothing: a network asks for
 * the same few activation sizes over and over, and {@code clCreateBuffer} is slow on some drivers. Buffers
 * that are not pooled (weights) are freed when closed. Thread-safe (every method holds the pool's lock): a
 * served model builds plans and uploads descendants' weights on one thread while inferences return buffers on
 * others, and unguarded counts lost updates (a test saw the allocated bytes end at -60).
 *
 * <p>Reuse is safe with the device's single in-order queue: a buffer given back while a kernel that reads it
 * is still queued is only written by commands queued after that kernel.
 */
final class BufferPool implements AutoCloseable {

    private final cl_context context;
    private final Map<Long, ArrayDeque<cl_mem>> free = new HashMap<>();
    private long allocatedBytes;
    private long pooledBytes;

    BufferPool(cl_context context) {
        this.context = context;
    }

    /** A pooled buffer of exactly {@code floats} floats (contents undefined). */
    synchronized DeviceBuffer acquire(long floats) {
        ArrayDeque<cl_mem> q = free.get(floats);
        cl_mem mem = q == null ? null : q.poll();
        if (mem != null) {
            pooledBytes -= bytes(floats);
        } else {
            mem = create(floats);
        }
        return new DeviceBuffer(mem, floats, this, true);
    }

    /** A buffer that is freed, not pooled, when closed. */
    synchronized DeviceBuffer unpooled(long floats) {
        return new DeviceBuffer(create(floats), floats, this, false);
    }

    /** Takes back a closed buffer: kept for reuse when pooled, freed otherwise. */
    synchronized void giveBack(cl_mem mem, long floats, boolean pooled) {
        if (pooled) {
            free.computeIfAbsent(floats, k -> new ArrayDeque<>()).push(mem);
            pooledBytes += bytes(floats);
        } else {
            CL.clReleaseMemObject(mem);
            allocatedBytes -= bytes(floats);
        }
    }

    /** Bytes held on the device by this pool's buffers, in use or free. */
    synchronized long allocatedBytes() {
        return allocatedBytes;
    }

    /** Bytes held free for reuse. */
    synchronized long pooledBytes() {
        return pooledBytes;
    }

    /** Frees the buffers held for reuse (buffers in use stay valid). */
    synchronized void trim() {
        for (Map.Entry<Long, ArrayDeque<cl_mem>> e : free.entrySet()) {
            for (cl_mem m : e.getValue()) {
                CL.clReleaseMemObject(m);
                allocatedBytes -= bytes(e.getKey());
            }
        }
        free.clear();
        pooledBytes = 0;
    }

    @Override
    public synchronized void close() {
        trim();
    }

    private cl_mem create(long floats) {
        int[] status = new int[1];
        // OpenCL has no empty buffers: an empty tensor still gets one float.
        cl_mem mem = CL.clCreateBuffer(context, CL.CL_MEM_READ_WRITE, bytes(Math.max(1, floats)), null, status);
        OpenClException.check(status[0], "clCreateBuffer of " + bytes(floats) + " bytes");
        allocatedBytes += bytes(floats);
        return mem;
    }

    private static long bytes(long floats) {
        return floats * Float.BYTES;
    }
}
