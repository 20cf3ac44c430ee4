package org.legodnn.nn.task;

import java.util.LinkedHashMap;
import java.util.Map;
import org.legodnn.nn.data.Batch;
import org.legodnn.nn.data.Targets;
import org.legodnn.nn.metrics.ConfusionMatrix;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * Semantic segmentation, a class for every pixel (FCN, U-Net, DeepLab): the model outputs logits
 * {@code [N, classes, H, W]} at the labels' resolution, the loss is the cross-entropy of every pixel (mean
 * over all pixels, PyTorch's {@code F.cross_entropy} on NCHW), a pixel's prediction is its first largest
 * logit, and the score is the mean IoU over the classes (pixel accuracy beside it; see
 * {@link ConfusionMatrix} for which classes count).
 */
public final class Segmentation implements Task {

    /** The one instance (the task has no settings). */
    public static final Segmentation TASK = new Segmentation();

    private Segmentation() {
    }

    @Override
    public String name() {
        return "segmentation";
    }

    @Override
    public String metricName() {
        return "mIoU";
    }

    @Override
    public Targets.Kind targets() {
        return Targets.Kind.PIXELS;
    }

    @Override
    public String defaultDataset() {
        return "fashion-mnist-seg";
    }

    @Override
    public Tensor loss(Tensor output, Batch batch) {
        Targets.Pixels t = pixels(batch.targets());
        requireShape(output, t.images(), t.height(), t.width());
        return Ops.crossEntropy(output, t.labels());
    }

    @Override
    public Targets decode(Tensor logits) {
        requireShape(logits, -1, -1, -1);
        int n = logits.dim(0);
        int c = logits.dim(1);
        int h = logits.dim(2);
        int w = logits.dim(3);
        int positions = h * w;
        float[] d = logits.data();
        int[] labels = new int[n * positions];
        for (int i = 0; i < n; i++) {
            int base = i * c * positions;
            for (int p = 0; p < positions; p++) {
                int best = 0;
                float top = d[base + p];
                for (int k = 1; k < c; k++) {
                    float v = d[base + k * positions + p];
                    if (v > top) {
                        top = v;
                        best = k;
                    }
                }
                labels[i * positions + p] = best;
            }
        }
        return new Targets.Pixels(labels, n, h, w);
    }

    @Override
    public Metric newMetric(int classes) {
        return new MeanIoU(classes);
    }

    private static Targets.Pixels pixels(Targets t) {
        if (t instanceof Targets.Pixels p) {
            return p;
        }
        throw new IllegalArgumentException("segmentation: the batch is labelled with " + t.kind().describe()
                + ", not per pixel");
    }

    /** Logits must be {@code [n, C, h, w]} (a -1 takes any size). */
    private static void requireShape(Tensor logits, int n, int h, int w) {
        if (logits.rank() != 4 || n >= 0 && logits.dim(0) != n || h >= 0 && logits.dim(2) != h
                || w >= 0 && logits.dim(3) != w) {
            String want = "[" + (n >= 0 ? n : "N") + ", classes, " + (h >= 0 ? h : "H") + ", " + (w >= 0 ? w : "W") + "]";
            throw new IllegalArgumentException("segmentation: the model's output has shape " + Shapes.format(logits.shape())
                    + "; expected logits " + want + " (a class score per pixel at the labels' resolution)");
        }
    }

    /** Mean IoU over the classes, from the confusion matrix of every pixel evaluated; pixel accuracy beside it. */
    public static final class MeanIoU implements Metric {

        private final ConfusionMatrix matrix;
        private int samples;

        public MeanIoU(int classes) {
            this.matrix = new ConfusionMatrix(classes);
        }

        @Override
        public void add(Targets predicted, Targets truth) {
            Metric.requireSame("mIoU", predicted, truth, Targets.Kind.PIXELS);
            Targets.Pixels p = (Targets.Pixels) predicted;
            Targets.Pixels t = (Targets.Pixels) truth;
            if (p.height() != t.height() || p.width() != t.width()) {
                throw new IllegalArgumentException("mIoU: predictions of " + p.height() + "x" + p.width()
                        + " for labels of " + t.height() + "x" + t.width());
            }
            matrix.add(t.labels(), p.labels());
            samples += t.images();
        }

        /** The pixel counts behind the value. */
        public ConfusionMatrix matrix() {
            return matrix;
        }

        @Override
        public int samples() {
            return samples;
        }

        @Override
        public double value() {
            return matrix.meanIoU();
        }

        @Override
        public Map<String, Double> details() {
            Map<String, Double> d = new LinkedHashMap<>();
            d.put("pixel_accuracy", matrix.pixelAccuracy());
            return d;
        }
    }
}
