package org.legodnn.nn.task;

import org.legodnn.nn.data.Batch;
import org.legodnn.nn.data.Dataset;
import org.legodnn.nn.data.Targets;
import org.legodnn.tensor.Tensor;

/**
 * What makes one vision application differ from another, and nothing else, so that training, evaluation and
 * LegoDNN's offline stage are written once for all of them (the original LegoDNN's {@code AbstractModelManager}):
 * what a batch is labelled with, the training loss, how a model's raw output is decoded into predictions, and
 * the metric those predictions are scored with (higher is better, with its name). The model and the data set
 * stay outside: any model whose output the task can decode, any data set labelled as the task needs.
 *
 * <p>A task is stateless and safe to share; its {@link Metric}s hold the running totals. A new task is one
 * class implementing this interface (see the README's "Tasks" section for a complete one); {@link Tasks}
 * names the built-in ones for the command line.
 */
public interface Task {

    /** The name the command line knows it by ({@code classification}, {@code segmentation}). */
    String name();

    /** The name of the metric that {@link #newMetric} computes ({@code top1}, {@code mIoU}). */
    String metricName();

    /** What the task's data sets label each image with; {@link #check} refuses others. */
    Targets.Kind targets();

    /** The data set the command line uses when none is named. */
    String defaultDataset();

    /**
     * The training loss of {@code output} (the model's raw output for {@code batch.images()}) against the
     * batch's targets: a scalar tensor with autograd, the mean over the batch.
     */
    Tensor loss(Tensor output, Batch batch);

    /** The model's raw output turned into predictions of the same kind as the targets (classes, masks, boxes). */
    Targets decode(Tensor output);

    /** An empty accumulator of the task's metric for a data set of {@code classes} classes. */
    Metric newMetric(int classes);

    /** The metric as people read it in a sentence ({@code top-1}, {@code mIoU}); its name unless a task says otherwise. */
    default String metricLabel() {
        return metricName();
    }

    /**
     * The key the metric is saved under in a checkpoint's metadata ({@code train_KEY}, {@code test_KEY});
     * the metric's name unless a task keeps an older key.
     */
    default String metadataKey() {
        return metricName();
    }

    /** Throws {@link IllegalArgumentException}, in one line, when {@code data} is not labelled as this task needs. */
    default void check(Dataset data, String dataName) {
        if (data.targetKind() != targets()) {
            throw new IllegalArgumentException("task " + name() + " needs a data set labelled with "
                    + targets().describe() + ", but " + dataName + " has " + data.targetKind().describe()
                    + " (e.g. --dataset " + defaultDataset() + ")");
        }
    }
}
