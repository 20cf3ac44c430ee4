package org.legodnn.core.latency;

import org.legodnn.tensor.Tensor;

/**
 * A profiling backend that times the blocks inside the served model, step by step, instead of each descendant
 * alone: the estimate of a composition (frame plus its blocks) then adds up to what that composition measures,
 * with no per-call overhead counted once per block. The CPU backend does this; an OpenCL device times blocks
 * alone.
 */
public interface InModelTiming {

    /**
     * The model with descendant {@code j} in every block, run {@code warmups} times untimed and {@code calls}
     * times timed on {@code x} (batch 1): per call, per block, milliseconds, the frame last.
     */
    double[][] timeComposition(int j, Tensor x, int warmups, int calls);
}
