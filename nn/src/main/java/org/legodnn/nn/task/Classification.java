package org.legodnn.nn.task;

import org.legodnn.nn.data.Batch;
import org.legodnn.nn.data.Targets;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * Image classification, the task every model here was first trained for: logits {@code [N, classes]},
 * cross-entropy, the predicted class is the first largest logit (as argmax), scored by top-1 accuracy.
 */
public final class Classification implements Task {

    /** The one instance (the task has no settings). */
    public static final Classification TASK = new Classification();

    private Classification() {
    }

    @Override
    public String name() {
        return "classification";
    }

    @Override
    public String metricName() {
        return "top1";
    }

    @Override
    public Targets.Kind targets() {
        return Targets.Kind.CLASSES;
    }

    @Override
    public String defaultDataset() {
        return "fashion-mnist";
    }

    @Override
    public String metricLabel() {
        return "top-1";
    }

    /** Checkpoints written before tasks existed call top-1 "accuracy"; the key stays. */
    @Override
    public String metadataKey() {
        return "accuracy";
    }

    @Override
    public Tensor loss(Tensor output, Batch batch) {
        if (output.rank() != 2) {
            throw new IllegalArgumentException("classification: the model's output has shape "
                    + Shapes.format(output.shape()) + "; expected logits [N, classes]"
                    + (output.rank() == 4 ? " (a class score per pixel is segmentation's: --task segmentation)" : ""));
        }
        return Ops.crossEntropy(output, batch.labels());
    }

    @Override
    public Targets decode(Tensor logits) {
        return new Targets.Classes(argmaxRows(logits, -1));
    }

    @Override
    public Metric newMetric(int classes) {
        return new TopOne();
    }

    /**
     * The column of the largest value of each row of {@code logits [N, C]} (the first on ties, as argmax).
     *
     * @param expectedRows the rows the caller has labels for, or -1 to take any
     */
    public static int[] argmaxRows(Tensor logits, int expectedRows) {
        if (logits.rank() != 2 || expectedRows >= 0 && logits.dim(0) != expectedRows) {
            String rows = expectedRows >= 0 ? Integer.toString(expectedRows) : "N";
            throw new IllegalArgumentException("classification: logits of shape " + Shapes.format(logits.shape())
                    + (expectedRows >= 0 ? " for " + expectedRows + " labels" : "") + " (expected [" + rows + ", classes])");
        }
        int n = logits.dim(0);
        int classes = logits.dim(1);
        float[] d = logits.data();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int base = i * classes;
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (d[base + c] > d[base + best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** Top-1 accuracy: the fraction of images whose predicted class is their label. */
    public static final class TopOne implements Metric {

        private long correct;
        private int samples;

        @Override
        public void add(Targets predicted, Targets truth) {
            Metric.requireSame("top1", predicted, truth, Targets.Kind.CLASSES);
            int[] p = ((Targets.Classes) predicted).labels();
            int[] t = ((Targets.Classes) truth).labels();
            for (int i = 0; i < p.length; i++) {
                if (p[i] == t[i]) {
                    correct++;
                }
            }
            samples += p.length;
        }

        /** Images classified right so far. */
        public long correct() {
            return correct;
        }

        @Override
        public int samples() {
            return samples;
        }

        @Override
        public double value() {
            return samples == 0 ? 0 : (double) correct / samples;
        }
    }
}
