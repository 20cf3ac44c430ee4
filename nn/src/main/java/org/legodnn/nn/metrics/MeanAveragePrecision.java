package org.legodnn.nn.metrics;

import java.util.ArrayList;
import java.util.List;
import org.legodnn.nn.data.Box;

/**
 * Detection scores over a whole data set: the images' ground truth and detections are collected as they come,
 * and the means over classes are computed from all of them, since average precision ranks every detection
 * of a class against every other ({@link AveragePrecision}).
 *
 * <p>{@link #map50()} is the mean over classes of VOC's all-point AP at IoU 0.5; {@link #map()} is COCO's
 * headline AP, the mean over classes and the ten IoU thresholds 0.50:0.05:0.95 of the 101-point AP. Classes
 * with no ground-truth box in the data set are left out of both means (as COCO does); the mean of no
 * classes is 0.
 */
public final class MeanAveragePrecision {

    private final int classes;
    private final List<List<Box>> truth = new ArrayList<>();
    private final List<List<Box>> predicted = new ArrayList<>();

    public MeanAveragePrecision(int classes) {
        if (classes <= 0) {
            throw new IllegalArgumentException("MeanAveragePrecision: " + classes + " classes (expected positive)");
        }
        this.classes = classes;
    }

    /** Adds one image: its ground-truth boxes and the detector's boxes (classes in {@code [0, classes)}). */
    public void add(List<Box> imageTruth, List<Box> imageDetections) {
        check(imageTruth, "ground-truth");
        check(imageDetections, "detected");
        truth.add(List.copyOf(imageTruth));
        predicted.add(List.copyOf(imageDetections));
    }

    private void check(List<Box> boxes, String what) {
        for (Box b : boxes) {
            if (b.cls() >= classes) {
                throw new IllegalArgumentException("MeanAveragePrecision: a " + what + " box of class " + b.cls()
                        + " in image " + truth.size() + "; expected classes in [0, " + classes + ")");
            }
        }
    }

    /** Images added. */
    public int images() {
        return truth.size();
    }

    /** VOC all-point AP at IoU 0.5 per class (NaN for classes without ground truth). */
    public double[] ap50PerClass() {
        double[] out = new double[classes];
        for (int k = 0; k < classes; k++) {
            out[k] = AveragePrecision.voc(truth, predicted, k, 0.5);
        }
        return out;
    }

    /** COCO AP averaged over IoU 0.50:0.05:0.95 per class (NaN for classes without ground truth). */
    public double[] apPerClass() {
        double[] out = new double[classes];
        double[] thresholds = AveragePrecision.cocoThresholds();
        for (int k = 0; k < classes; k++) {
            double[] ap = AveragePrecision.coco(truth, predicted, k, thresholds);
            double sum = 0;
            for (double v : ap) {
                sum += v;
            }
            out[k] = sum / ap.length;
        }
        return out;
    }

    /** Mean over classes with ground truth of VOC's AP at IoU 0.5. */
    public double map50() {
        return meanOfPresent(ap50PerClass());
    }

    /** Mean over classes with ground truth of COCO's AP at IoU 0.50:0.05:0.95. */
    public double map() {
        return meanOfPresent(apPerClass());
    }

    /** The mean of the values that are not NaN; 0 when all are. */
    static double meanOfPresent(double[] values) {
        double sum = 0;
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }
}
