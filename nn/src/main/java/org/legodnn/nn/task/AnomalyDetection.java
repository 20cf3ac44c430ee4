package org.legodnn.nn.task;

import java.util.Arrays;
import org.legodnn.nn.data.Batch;
import org.legodnn.nn.data.Targets;
import org.legodnn.nn.metrics.Auroc;
import org.legodnn.tensor.Tensor;

/**
 * One-class anomaly detection (GANomaly, GPND, Self-Training): a model learns what normal images look like and
 * scores every image, higher meaning more anomalous; the score is judged by its AUROC against the truth, class 0
 * being normal and any other class an anomaly. That reading makes the one-class sets ({@code fashion-mnist-anomaly},
 * labelled normal 0 / anomaly 1) and a plain labelled set ({@code fashion-mnist}, where class 0 is then the normal
 * one) score alike.
 *
 * <p>The model's output is its score per image, {@code [N, 1]} or {@code [N]}. A score has no supervised loss:
 * GANomaly trains adversarially ({@code GanomalyTrainer}, which {@code train --task anomaly} runs), so
 * {@link #loss} refuses. LegoDNN's offline stage needs no task loss (blocks learn their teacher's features).
 */
public final class AnomalyDetection implements Task {

    /** The one instance (the task has no settings). */
    public static final AnomalyDetection TASK = new AnomalyDetection();

    private AnomalyDetection() {
    }

    @Override
    public String name() {
        return "anomaly";
    }

    @Override
    public String metricName() {
        return "AUROC";
    }

    @Override
    public Targets.Kind targets() {
        return Targets.Kind.CLASSES;
    }

    @Override
    public String defaultDataset() {
        return "fashion-mnist-anomaly";
    }

    @Override
    public Tensor loss(Tensor output, Batch batch) {
        throw new UnsupportedOperationException("task anomaly: an anomaly score has no supervised loss; GANomaly"
                + " trains adversarially (org.legodnn.nn.train.GanomalyTrainer, which train --task anomaly runs)");
    }

    @Override
    public Targets decode(Tensor output) {
        boolean oneEach = output.rank() == 1 || (output.rank() == 2 && output.dim(1) == 1);
        if (!oneEach) {
            throw new IllegalArgumentException("anomaly: expected one score per image, [N, 1] or [N], got "
                    + org.legodnn.tensor.Shapes.format(output.shape()));
        }
        return new Targets.Scores(output.data().clone());
    }

    @Override
    public Metric newMetric(int classes) {
        return new AurocMetric();
    }

    /** AUROC over every image added (it ranks them all, so it is computed when asked). */
    public static final class AurocMetric implements Metric {

        private double[] scores = new double[256];
        private boolean[] anomalous = new boolean[256];
        private int count;

        @Override
        public void add(Targets predicted, Targets truth) {
            if (!(predicted instanceof Targets.Scores s) || !(truth instanceof Targets.Classes c)) {
                throw new IllegalArgumentException("AUROC: expected anomaly scores and class labels, got "
                        + predicted.kind().describe() + " and " + truth.kind().describe());
            }
            if (s.images() != c.images()) {
                throw new IllegalArgumentException("AUROC: " + s.images() + " scores for " + c.images() + " labels");
            }
            if (count + s.images() > scores.length) {
                int size = Math.max(2 * scores.length, count + s.images());
                scores = Arrays.copyOf(scores, size);
                anomalous = Arrays.copyOf(anomalous, size);
            }
            for (int i = 0; i < s.images(); i++) {
                scores[count] = s.values()[i];
                anomalous[count] = c.labels()[i] != 0;
                count++;
            }
        }

        @Override
        public int samples() {
            return count;
        }

        /** The AUROC; 0 when nothing was added, NaN when only one of normal and anomaly was. */
        @Override
        public double value() {
            return count == 0 ? 0 : Auroc.of(Arrays.copyOf(scores, count), Arrays.copyOf(anomalous, count));
        }
    }
}
