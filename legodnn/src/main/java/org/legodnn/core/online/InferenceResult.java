package org.legodnn.core.online;

import org.legodnn.tensor.Tensor;

/**
 * An output together with the composition that computed it: lets a caller (a test, the demo) check that
 * an inference running across a switch used one composition throughout.
 *
 * @param output      the model's first output
 * @param composition the composition the whole inference ran on
 */
public record InferenceResult(Tensor output, Composition composition) {

    /** The selection the output was computed with. */
    public int[] selection() {
        return composition.selection();
    }
}
