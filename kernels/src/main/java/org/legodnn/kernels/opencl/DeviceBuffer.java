package org.legodnn.kernels.opencl;

import org.jocl.cl_mem;

/**
 * A float array that lives in a device's memory: the form in which weights and activations stay on the
 * device between layers. Closing it gives the memory back to the device's {@link BufferPool} (or frees it,
 * for buffers that are not pooled, such as weights); a closed buffer must not be used again.
 */
public final class DeviceBuffer implements AutoCloseable {

    private final cl_mem mem;
    private final long floats;
    private final BufferPool pool;
    private final boolean pooled;
    private boolean closed;

    DeviceBuffer(cl_mem mem, long floats, BufferPool pool, boolean pooled) {
        this.mem = mem;
        this.floats = floats;
        this.pool = pool;
        this.pooled = pooled;
    }

    /** How many floats it holds. */
    public long floats() {
        return floats;
    }

    public boolean isClosed() {
        return closed;
    }

    cl_mem mem() {
        if (closed) {
            throw new IllegalStateException("device buffer of " + floats + " floats used after close");
        }
        return mem;
    }

    /** Returns the memory to the pool (pooled buffers) or releases it. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            pool.giveBack(mem, floats, pooled);
        }
    }

    @Override
    public String toString() {
        return "DeviceBuffer[" + floats + " floats" + (closed ? ", closed" : "") + "]";
    }
}
