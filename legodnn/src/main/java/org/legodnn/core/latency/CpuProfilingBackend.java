package org.legodnn.core.latency;

import org.legodnn.core.prune.ComposedModel;
import org.legodnn.tensor.Tensor;

/**
 * Profiling on the JVM's own kernels, as the run-time model runs there: each descendant through
 * {@link ComposedModel#runBlock}, the whole model through {@link ComposedModel#finish} at descendant 0 everywhere.
 *
 * @param composed the model whose blocks and frame are timed
 */
public record CpuProfilingBackend(ComposedModel composed) implements ProfilingBackend {

    @Override
    public String name() {
        return LatencyProfile.CPU;
    }

    @Override
    public Object runBlock(int i, int j, Tensor in) {
        return composed.runBlock(i, j, in);
    }

    @Override
    public Object runWhole(Tensor x) {
        return composed.finish(composed.start(x), 0, new int[composed.blocks().size()]);
    }
}
