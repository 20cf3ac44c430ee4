package org.legodnn.nn.data;

import org.legodnn.tensor.Tensor;

/**
 * One batch as a model consumes it: images {@code [B, C, H, W]} (augmented and normalized), their classes,
 * and which samples of the data set they are (for checks and for debugging a bad batch).
 */
public record Batch(Tensor images, int[] labels, int[] indices) {

    /** The number of samples. */
    public int size() {
        return labels.length;
    }
}
