package org.legodnn.core.latency;

import org.legodnn.tensor.Tensor;

/**
 * Where latency profiling runs what it times, so that one profiler, and the optimizer that reads its profile,
 * serves the CPU and an OpenCL device alike through {@link CompiledProfilingBackend}, and a test can stand in a
 * backend of its own. The profile records {@link #name} as
 * {@link LatencyProfile#backend}.
 */
public interface ProfilingBackend extends AutoCloseable {

    /** What the profile records as its backend: {@code "cpu"}, or {@code "opencl:"} and the device's name. */
    String name();

    /**
     * Runs descendant {@code j} of the {@code i}-th block alone on {@code in} (the block's input at batch 1) and
     * returns its output on the host.
     */
    Object runBlock(int i, int j, Tensor in);

    /** Runs the whole model, every block at descendant 0, on {@code x} (the model's input at batch 1). */
    Object runWhole(Tensor x);

    /** Frees what the backend holds (device memory and the device); nothing for the CPU. */
    @Override
    default void close() {
    }
}
