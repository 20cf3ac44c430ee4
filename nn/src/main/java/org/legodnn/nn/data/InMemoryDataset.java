package org.legodnn.nn.data;

import java.util.ArrayList;
import java.util.List;

/**
 * A data set held in memory as the 8-bit pixels the files store, which is what every reader here builds:
 * one byte per value keeps the 60,000 Fashion-MNIST images in 47 MB instead of 188 MB as floats, and the
 * conversion to [0, 1] happens as each image is read.
 */
public final class InMemoryDataset implements Dataset {

    private final byte[] pixels;
    private final int[] labels;
    private final int channels;
    private final int height;
    private final int width;
    private final List<String> classNames;

    /**
     * @param pixels {@code labels.length} images of {@code channels × height × width} unsigned bytes each, CHW
     * @param labels one class per image, each in {@code [0, classNames.size())}
     * @param classNames the class names; null names the classes "0", "1", ... up to the largest label
     */
    public InMemoryDataset(byte[] pixels, int[] labels, int channels, int height, int width, List<String> classNames) {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("InMemoryDataset: image shape " + channels + "x" + height + "x" + width
                    + " must be positive");
        }
        long expected = (long) labels.length * channels * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException("InMemoryDataset: " + labels.length + " images of " + channels + "x"
                    + height + "x" + width + " need " + expected + " pixel bytes, got " + pixels.length);
        }
        List<String> names = classNames != null ? List.copyOf(classNames) : numberedClasses(labels);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= names.size()) {
                throw new IllegalArgumentException("InMemoryDataset: label " + labels[i] + " of image " + i
                        + " is outside the " + names.size() + " classes");
            }
        }
        this.pixels = pixels;
        this.labels = labels.clone();
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classNames = names;
    }

    /** "0", "1", ..., up to the largest label (at least one class). */
    static List<String> numberedClasses(int[] labels) {
        int max = 0;
        for (int l : labels) {
            max = Math.max(max, l);
        }
        List<String> names = new ArrayList<>();
        for (int k = 0; k <= max; k++) {
            names.add(Integer.toString(k));
        }
        return names;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public void image(int index, float[] dst, int offset) {
        int n = channels * height * width;
        int src = index * n;
        for (int i = 0; i < n; i++) {
            dst[offset + i] = (pixels[src + i] & 0xff) / 255f; // as torchvision's ToTensor: byte / 255
        }
    }

    /** The raw pixel byte {@code i} of image {@code index} (0..255), for tests and statistics. */
    public int pixel(int index, int i) {
        return pixels[index * channels * height * width + i] & 0xff;
    }
}
