package org.legodnn.nn.metrics;

import java.util.Arrays;

/**
 * Pixel counts of (true class, predicted class) over a whole data set, from which semantic segmentation's
 * scores follow: per-class intersection over union {@code TP / (TP + FP + FN)}, its mean (mIoU) and pixel
 * accuracy. Counts are summed over all images before any ratio is taken, as torchvision's and mmseg's
 * evaluations do (not a mean of per-image scores).
 *
 * <p>Convention: a class with no ground-truth pixels has no IoU ({@code NaN}) and is left out of the mean, as
 * COCO leaves out classes without ground truth; pixels wrongly predicted as that class still count, as false
 * negatives of their true class. The mean of no classes is 0.
 */
public final class ConfusionMatrix {

    private final int classes;
    private final long[] counts;

    public ConfusionMatrix(int classes) {
        if (classes <= 0) {
            throw new IllegalArgumentException("ConfusionMatrix: " + classes + " classes (expected positive)");
        }
        this.classes = classes;
        this.counts = new long[classes * classes];
    }

    public int classes() {
        return classes;
    }

    /** Counts {@code truth[i]} against {@code predicted[i]} for every i (both in {@code [0, classes)}). */
    public void add(int[] truth, int[] predicted) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException("ConfusionMatrix: " + truth.length + " true labels for "
                    + predicted.length + " predicted ones");
        }
        for (int i = 0; i < truth.length; i++) {
            int t = truth[i];
            int p = predicted[i];
            if (t < 0 || t >= classes || p < 0 || p >= classes) {
                throw new IllegalArgumentException("ConfusionMatrix: pixel " + i + " has true class " + t
                        + " and predicted class " + p + "; expected both in [0, " + classes + ")");
            }
            counts[t * classes + p]++;
        }
    }

    /** Pixels of true class {@code t} predicted as {@code p}. */
    public long count(int t, int p) {
        return counts[t * classes + p];
    }

    /** All pixels counted. */
    public long total() {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }

    /** Pixels whose true class is {@code k}. */
    public long truthCount(int k) {
        long n = 0;
        for (int p = 0; p < classes; p++) {
            n += counts[k * classes + p];
        }
        return n;
    }

    /** Pixels predicted as class {@code k}. */
    public long predictedCount(int k) {
        long n = 0;
        for (int t = 0; t < classes; t++) {
            n += counts[t * classes + k];
        }
        return n;
    }

    /** {@code TP / (TP + FP + FN)} of class {@code k}; NaN when it has no ground-truth pixels. */
    public double iou(int k) {
        long truth = truthCount(k);
        if (truth == 0) {
            return Double.NaN;
        }
        long tp = count(k, k);
        return (double) tp / (truth + predictedCount(k) - tp);
    }

    /** Every class's IoU (NaN for classes without ground truth). */
    public double[] ious() {
        double[] out = new double[classes];
        for (int k = 0; k < classes; k++) {
            out[k] = iou(k);
        }
        return out;
    }

    /** The mean IoU over the classes that have ground-truth pixels; 0 when none has. */
    public double meanIoU() {
        double sum = 0;
        int n = 0;
        for (int k = 0; k < classes; k++) {
            double v = iou(k);
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    /** The fraction of pixels predicted right; 0 when none were counted. */
    public double pixelAccuracy() {
        long total = total();
        long right = 0;
        for (int k = 0; k < classes; k++) {
            right += count(k, k);
        }
        return total == 0 ? 0 : (double) right / total;
    }

    @Override
    public String toString() {
        return "ConfusionMatrix" + Arrays.toString(counts);
    }
}
