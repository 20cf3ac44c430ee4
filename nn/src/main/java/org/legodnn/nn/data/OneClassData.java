package org.legodnn.nn.data;

import java.util.ArrayList;
import java.util.List;

/**
 * One-class anomaly detection data made from a labelled set (GANomaly's protocol on MNIST and Fashion-MNIST): the
 * training split keeps only the images of the normal class, the test split keeps every image, and the label says
 * whether an image is normal (0) or an anomaly (1, any other class). Images are read through to the base set.
 */
public final class OneClassData implements Dataset {

    /** The two labels: {@code NORMAL} = 0, {@code ANOMALY} = 1. */
    public static final int NORMAL = 0;
    public static final int ANOMALY = 1;

    private final Dataset base;
    private final int[] indices;
    private final int normalClass;
    private final List<String> names;

    private OneClassData(Dataset base, int[] indices, int normalClass) {
        this.base = base;
        this.indices = indices;
        this.normalClass = normalClass;
        this.names = List.of("normal (" + base.classNames().get(normalClass) + ")", "anomaly");
    }

    /** The images of {@code normalClass} alone, all labelled normal: what the model learns from. */
    public static OneClassData normalOnly(Dataset base, int normalClass) {
        check(base, normalClass);
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < base.size(); i++) {
            if (base.label(i) == normalClass) {
                keep.add(i);
            }
        }
        return new OneClassData(base, keep.stream().mapToInt(Integer::intValue).toArray(), normalClass);
    }

    /** Every image, labelled normal when of {@code normalClass} and anomaly otherwise: what the model is scored on. */
    public static OneClassData all(Dataset base, int normalClass) {
        check(base, normalClass);
        int[] every = new int[base.size()];
        for (int i = 0; i < every.length; i++) {
            every[i] = i;
        }
        return new OneClassData(base, every, normalClass);
    }

    private static void check(Dataset base, int normalClass) {
        if (normalClass < 0 || normalClass >= base.classes()) {
            throw new IllegalArgumentException("one-class data: normal class " + normalClass + " is not one of the "
                    + base.classes() + " classes (0 to " + (base.classes() - 1) + ")");
        }
    }

    /** The base set's class that counts as normal. */
    public int normalClass() {
        return normalClass;
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
        return names;
    }

    @Override
    public int label(int index) {
        return base.label(indices[index]) == normalClass ? NORMAL : ANOMALY;
    }

    @Override
    public void image(int index, float[] dst, int offset) {
        base.image(indices[index], dst, offset);
    }
}
