package org.legodnn.nn.data;

import org.legodnn.tensor.Tensor;

/**
 * One batch as a model consumes it: images {@code [B, C, H, W]} (augmented and normalized), what they are
 * labelled with (a class per image, a class per pixel or boxes: {@link Targets}), and which samples of the
 * data set they are (for checks and for debugging a bad batch).
 */
public record Batch(Tensor images, Targets targets, int[] indices) {

    /** A classification batch: one class per image. */
    public Batch(Tensor images, int[] labels, int[] indices) {
        this(images, new Targets.Classes(labels), indices);
    }

    /** The number of samples. */
    public int size() {
        return indices.length;
    }

    /** The class of each image; only for a batch labelled per image (classification). */
    public int[] labels() {
        if (targets instanceof Targets.Classes c) {
            return c.labels();
        }
        throw new IllegalStateException("Batch: labelled with " + targets.kind().describe()
                + ", not with one class per image");
    }
}
