package org.legodnn.nn.task;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.legodnn.nn.data.Batch;
import org.legodnn.nn.data.Targets;
import org.legodnn.nn.metrics.KeypointAccuracy;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * Keypoint estimation by heatmaps (SimpleBaselines, Xiao et al. 2018): the model outputs one heatmap per keypoint,
 * {@code [N, K, H, W]}, covering the input image at a stride of {@code inputSize / H}; the loss is the mean squared
 * error against a Gaussian of σ = {@value #SIGMA} heatmap pixels centred on each keypoint; a keypoint is decoded at
 * its heatmap's first maximum, moved a quarter pixel towards the higher of its two neighbours along each axis (the
 * paper's sub-pixel refinement), then scaled back to input pixels; the score is PCK@{@value #ALPHA} (the share of
 * keypoints nearer to the truth than 0.1 × the object's box diagonal), mean pixel error beside it.
 *
 * <p>Heatmap pixel {@code (i, j)} covers input pixels {@code [j·s, (j + 1)·s) × [i·s, (i + 1)·s)}, s the stride:
 * its centre is input point {@code ((j + 0.5)·s, (i + 0.5)·s)}.
 */
public final class Pose implements Task {

    /** The task for the 64×64 canvases of {@code fashion-mnist-pose}. */
    public static final Pose TASK = new Pose(64);

    /** The Gaussian's standard deviation, in heatmap pixels. */
    public static final double SIGMA = 2.0;
    /** PCK's threshold, as a share of the box diagonal. */
    public static final double ALPHA = 0.1;

    private final int inputSize;

    /** The task for square inputs of {@code inputSize} pixels. */
    public Pose(int inputSize) {
        if (inputSize <= 0) {
            throw new IllegalArgumentException("pose: input size " + inputSize + " must be positive");
        }
        this.inputSize = inputSize;
    }

    @Override
    public String name() {
        return "pose";
    }

    @Override
    public String metricName() {
        return "PCK@0.1";
    }

    @Override
    public Targets.Kind targets() {
        return Targets.Kind.KEYPOINTS;
    }

    @Override
    public String defaultDataset() {
        return "fashion-mnist-pose";
    }

    @Override
    public Tensor loss(Tensor output, Batch batch) {
        Targets.Keypoints t = keypoints(batch.targets());
        requireShape(output, t.images(), t.keypoints());
        return Ops.mse(output, heatmaps(t, output.dim(2), output.dim(3)));
    }

    /** The Gaussian target heatmaps {@code [N, K, h, w]} of {@code t}. */
    public Tensor heatmaps(Targets.Keypoints t, int h, int w) {
        int n = t.images();
        int k = t.keypoints();
        double sx = (double) inputSize / w;
        double sy = (double) inputSize / h;
        float[] d = new float[n * k * h * w];
        for (int p = 0; p < n * k; p++) {
            double cx = t.points()[2 * p] / sx - 0.5;
            double cy = t.points()[2 * p + 1] / sy - 0.5;
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    double r2 = (j - cx) * (j - cx) + (i - cy) * (i - cy);
                    d[(p * h + i) * w + j] = (float) Math.exp(-r2 / (2 * SIGMA * SIGMA));
                }
            }
        }
        return Tensor.of(d, n, k, h, w);
    }

    /** Keypoints at the heatmaps' maxima, refined by a quarter pixel, in input pixels; reference lengths 0. */
    @Override
    public Targets decode(Tensor output) {
        requireShape(output, -1, -1);
        int n = output.dim(0);
        int k = output.dim(1);
        int h = output.dim(2);
        int w = output.dim(3);
        double sx = (double) inputSize / w;
        double sy = (double) inputSize / h;
        float[] d = output.data();
        float[] points = new float[n * k * 2];
        for (int p = 0; p < n * k; p++) {
            int base = p * h * w;
            int best = 0;
            for (int q = 1; q < h * w; q++) {
                if (d[base + q] > d[base + best]) {
                    best = q;
                }
            }
            int i = best / w;
            int j = best % w;
            double x = j;
            double y = i;
            if (j > 0 && j < w - 1) {
                x += 0.25 * Math.signum(d[base + best + 1] - d[base + best - 1]);
            }
            if (i > 0 && i < h - 1) {
                y += 0.25 * Math.signum(d[base + best + w] - d[base + best - w]);
            }
            points[2 * p] = (float) ((x + 0.5) * sx);
            points[2 * p + 1] = (float) ((y + 0.5) * sy);
        }
        return new Targets.Keypoints(points, new float[n], k);
    }

    @Override
    public Metric newMetric(int classes) {
        return new Pck();
    }

    private static Targets.Keypoints keypoints(Targets t) {
        if (t instanceof Targets.Keypoints k) {
            return k;
        }
        throw new IllegalArgumentException("pose: the batch is labelled with " + t.kind().describe()
                + ", not keypoints");
    }

    /** Heatmaps must be {@code [n, k, H, W]} (a -1 takes any size). */
    private static void requireShape(Tensor output, int n, int k) {
        if (output.rank() != 4 || n >= 0 && output.dim(0) != n || k >= 0 && output.dim(1) != k) {
            throw new IllegalArgumentException("pose: the model's output has shape " + Shapes.format(output.shape())
                    + "; expected heatmaps [" + (n >= 0 ? n : "N") + ", " + (k >= 0 ? k : "keypoints") + ", H, W]");
        }
    }

    /** PCK@0.1 over every keypoint added, with the truth's reference lengths; mean pixel error beside it. */
    public static final class Pck implements Metric {

        private final KeypointAccuracy accuracy = new KeypointAccuracy(ALPHA);
        private int samples;

        @Override
        public void add(Targets predicted, Targets truth) {
            Metric.requireSame("PCK", predicted, truth, Targets.Kind.KEYPOINTS);
            Targets.Keypoints p = (Targets.Keypoints) predicted;
            Targets.Keypoints t = (Targets.Keypoints) truth;
            if (p.keypoints() != t.keypoints()) {
                throw new IllegalArgumentException("PCK: " + p.keypoints() + " predicted keypoints per image for "
                        + t.keypoints() + " labelled ones");
            }
            int per = 2 * t.keypoints();
            for (int i = 0; i < t.images(); i++) {
                float[] a = Arrays.copyOfRange(p.points(), i * per, (i + 1) * per);
                float[] b = Arrays.copyOfRange(t.points(), i * per, (i + 1) * per);
                accuracy.add(a, b, t.reference()[i]);
            }
            samples += t.images();
        }

        @Override
        public int samples() {
            return samples;
        }

        @Override
        public double value() {
            return samples == 0 ? 0 : accuracy.pck();
        }

        @Override
        public Map<String, Double> details() {
            Map<String, Double> d = new LinkedHashMap<>();
            d.put("mean_pixel_error", accuracy.meanPixelError());
            return d;
        }
    }
}
