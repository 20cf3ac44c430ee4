package org.legodnn.nn.train;

import org.legodnn.nn.Module;
import org.legodnn.nn.data.Batch;
import org.legodnn.nn.data.DataLoader;
import org.legodnn.nn.data.Dataset;
import org.legodnn.nn.data.Normalize;
import org.legodnn.nn.task.Classification;
import org.legodnn.nn.task.Metric;
import org.legodnn.nn.task.Score;
import org.legodnn.nn.task.Task;
import org.legodnn.tensor.Autograd;
import org.legodnn.tensor.NonFinite;
import org.legodnn.tensor.Tensor;

/**
 * Measures a task's metric (top-1 accuracy for classification), the number every claim about a model here
 * rests on: the model in evaluation mode (BatchNorm's running statistics, no dropout), no autograd graph, the
 * data in order without augmentation, batched, with the next batch prepared while the current one runs. The
 * model's mode is restored afterwards.
 * An output that is NaN or infinite stops the evaluation, naming the image: counting it as a wrong answer would
 * hide broken weights behind a plausible score.
 */
public final class Evaluator {

    /** Correct predictions out of {@code samples}. */
    public record Result(long correct, int samples) {

        /** The fraction correct, 0..1 (0 for no samples). */
        public double accuracy() {
            return samples == 0 ? 0 : (double) correct / samples;
        }
    }

    private Evaluator() {
    }

    /** Top-1 accuracy of {@code model} on every image of {@code data}, normalized with {@code normalize}. */
    public static Result evaluate(Module model, Dataset data, Normalize normalize, int batchSize) {
        Classification.TopOne top1 = (Classification.TopOne) measure(Classification.TASK, model, data, normalize,
                batchSize);
        return new Result(top1.correct(), data.size());
    }

    /**
     * The task's metric of {@code model} on every image of {@code data}, normalized with {@code normalize}.
     *
     * @throws IllegalArgumentException when the data set is not labelled as the task needs
     */
    public static Score evaluate(Task task, Module model, Dataset data, Normalize normalize, int batchSize) {
        return Score.of(task, measure(task, model, data, normalize, batchSize));
    }

    /** Runs the evaluation and returns the filled metric. */
    private static Metric measure(Task task, Module model, Dataset data, Normalize normalize, int batchSize) {
        task.check(data, "the data set");
        Metric metric = task.newMetric(data.classes());
        boolean wasTraining = model.isTraining();
        model.eval();
        int seen = 0;
        try (var noGrad = Autograd.noGrad();
             DataLoader loader = new DataLoader(data, DataLoader.Settings.evaluation(batchSize, normalize));
             DataLoader.Epoch epoch = loader.epoch(0)) {
            while (epoch.hasNext()) {
                Batch b = epoch.next();
                Tensor output = model.forward(b.images());
                int bad = NonFinite.first(output);
                if (bad >= 0) {
                    int perImage = Math.max(1, output.size() / Math.max(1, b.size()));
                    throw new IllegalStateException("the model's output for test image " + (seen + bad / perImage)
                            + " is " + output.data()[bad] + " (value " + bad % perImage + " of " + perImage
                            + "): no score can be measured; check the weights");
                }
                metric.add(task.decode(output), b.targets());
                seen += b.size();
            }
        } finally {
            model.train(wasTraining);
        }
        return metric;
    }

    /** How many rows of {@code logits [N, C]} have their largest value at the label (first maximum wins, as argmax). */
    public static int countCorrect(Tensor logits, int[] labels) {
        if (logits.rank() != 2 || logits.dim(0) != labels.length) {
            throw new IllegalArgumentException("countCorrect: logits of shape " + java.util.Arrays.toString(logits.shape())
                    + " for " + labels.length + " labels (expected [" + labels.length + ", classes])");
        }
        int classes = logits.dim(1);
        float[] d = logits.data();
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            int base = i * classes;
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (d[base + c] > d[base + best]) {
                    best = c;
                }
            }
            if (best == labels[i]) {
                correct++;
            }
        }
        return correct;
    }
}
