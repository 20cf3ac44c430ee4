package org.legodnn.nn.data;

import java.util.List;

/**
 * Part of another data set, chosen by index and read through to it: what {@code --limit N} and train/test
 * splits use, so that trimming a data set never copies its pixels.
 */
final class Subset implements Dataset {

    private final Dataset base;
    private final int[] indices;

    Subset(Dataset base, int[] indices) {
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= base.size()) {
                throw new IllegalArgumentException("Dataset.subset: index " + indices[i] + " at position " + i
                        + " is outside a data set of " + base.size() + " images");
            }
        }
        this.base = base;
        this.indices = indices.clone();
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public int channels() {
        return base.channels();
    }

    @Override
    public int height() {
        return base.height();
    }

    @Override
    public int width() {
        return base.width();
    }

    @Override
    public List<String> classNames() {
        return base.classNames();
    }

    @Override
    public int label(int index) {
        return base.label(indices[index]);
    }

    @Override
    public Targets.Kind targetKind() {
        return base.targetKind();
    }

    @Override
    public Targets targets(int[] which) {
        int[] mapped = new int[which.length];
        for (int i = 0; i < which.length; i++) {
            mapped[i] = indices[which[i]];
        }
        return base.targets(mapped);
    }

    @Override
    public void image(int index, float[] dst, int offset) {
        base.image(indices[index], dst, offset);
    }
}
