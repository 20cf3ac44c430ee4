package org.legodnn.nn.data;

import java.util.List;

/**
 * What training and evaluation need from a labelled image collection, whatever file format it came from:
 * a fixed number of images of one shape (channels × height × width) with an integer class each, or, for
 * segmentation and detection, a class per pixel or a set of boxes ({@link #targets}). Readers
 * ({@link IdxReader}, {@link CifarReader}, {@link ImageFolder}) produce one; {@link DataLoader} turns it
 * into batches.
 *
 * <p>Images come out as float32 in CHW order with values in [0, 1] (a pixel byte divided by 255, as
 * torchvision's {@code ToTensor}); normalization and augmentation are the loader's business, not the
 * data set's. Implementations must be safe to read from several threads (the loader reads on its own).
 */
public interface Dataset {

    /** The number of images. */
    int size();

    int channels();

    int height();

    int width();

    /** Human-readable class names; class {@code k} is {@code classNames().get(k)}. */
    List<String> classNames();

    /** The number of classes. */
    default int classes() {
        return classNames().size();
    }

    /**
     * The class of image {@code index}, in {@code [0, classes())}. Data sets labelled per pixel or with boxes
     * have no class per image and throw {@link UnsupportedOperationException}: read {@link #targets} instead.
     */
    int label(int index);

    /** What this data set's images are labelled with (a class each, unless a data set says otherwise). */
    default Targets.Kind targetKind() {
        return Targets.Kind.CLASSES;
    }

    /**
     * The labels of images {@code indices}, in that order, as one batch carries them: by default their classes
     * ({@link #label}); data sets labelled per pixel or with boxes override this with their own kind.
     */
    default Targets targets(int[] indices) {
        int[] labels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            labels[i] = label(indices[i]);
        }
        return new Targets.Classes(labels);
    }

    /** Writes image {@code index} as {@link #imageSize()} floats in [0, 1], CHW order, at {@code dst[offset]}. */
    void image(int index, float[] dst, int offset);

    /** Values per image: channels × height × width. */
    default int imageSize() {
        return channels() * height() * width();
    }

    /** Image {@code index} as a new array. */
    default float[] image(int index) {
        float[] out = new float[imageSize()];
        image(index, out, 0);
        return out;
    }

    /** A view of the images at {@code indices}, in that order (nothing is copied). */
    default Dataset subset(int[] indices) {
        return new Subset(this, indices);
    }

    /** A view of the first {@code n} images (all of them when {@code n >= size()}). */
    default Dataset first(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("Dataset.first: n = " + n + " must be >= 0");
        }
        if (n >= size()) {
            return this;
        }
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return subset(idx);
    }
}
