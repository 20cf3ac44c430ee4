package org.legodnn.nn.metrics;

/**
 * How close predicted keypoints land, as pose estimation is scored: PCK@α, the fraction of keypoints whose
 * distance to the truth is below α times a reference length of their object (here the diagonal of its box), and
 * the mean distance in pixels. Accumulates image by image; every keypoint counts once.
 */
public final class KeypointAccuracy {

    private final double alpha;
    private long keypoints;
    private long correct;
    private double distanceSum;

    /** Scores at threshold {@code alpha} (0.1 for PCK@0.1). */
    public KeypointAccuracy(double alpha) {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("PCK: threshold " + alpha + ", expected a positive number");
        }
        this.alpha = alpha;
    }

    /**
     * Adds one object's keypoints: {@code predicted} and {@code truth} as {@code [x0, y0, x1, y1, ...]} in pixels;
     * a keypoint is correct when its distance is strictly below {@code alpha · reference}.
     */
    public void add(float[] predicted, float[] truth, double reference) {
        if (predicted.length != truth.length || predicted.length % 2 != 0) {
            throw new IllegalArgumentException("PCK: " + predicted.length + " predicted and " + truth.length
                    + " true coordinates, expected the same even number");
        }
        if (!(reference > 0)) {
            throw new IllegalArgumentException("PCK: reference length " + reference + ", expected a positive number");
        }
        for (int i = 0; i < predicted.length; i += 2) {
            double d = Math.hypot(predicted[i] - truth[i], predicted[i + 1] - truth[i + 1]);
            keypoints++;
            distanceSum += d;
            if (d < alpha * reference) {
                correct++;
            }
        }
    }

    /** The fraction of keypoints within the threshold; NaN before any. */
    public double pck() {
        return keypoints == 0 ? Double.NaN : (double) correct / keypoints;
    }

    /** The mean distance in pixels; NaN before any keypoint. */
    public double meanPixelError() {
        return keypoints == 0 ? Double.NaN : distanceSum / keypoints;
    }

    public long keypoints() {
        return keypoints;
    }
}
