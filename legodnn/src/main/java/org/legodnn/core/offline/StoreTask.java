package org.legodnn.core.offline;

import org.legodnn.nn.task.Classification;
import org.legodnn.nn.task.Task;
import org.legodnn.nn.task.Tasks;

/**
 * The task a block store was made for and the name of the metric its profiled "accuracies" hold, recorded in the
 * store so that every command after {@code offline} (optimize, series, export, demo, eval) scores, labels and
 * reports with the metric the profile measured instead of assuming top-1. A store written before tasks existed
 * records neither and reads as {@link #CLASSIFICATION}.
 *
 * @param task   the task's name ({@code classification}, {@code segmentation}, or a library user's own)
 * @param metric the metric's name ({@code top1}, {@code mIoU}, ...)
 */
public record StoreTask(String task, String metric) {

    /** What a store without task fields was: a classifier profiled by top-1. */
    public static final StoreTask CLASSIFICATION = of(Classification.TASK);

    public StoreTask {
        if (task == null || task.isBlank() || metric == null || metric.isBlank()) {
            throw new IllegalArgumentException("StoreTask: task and metric must be non-empty names, got task "
                    + task + " and metric " + metric);
        }
    }

    /** What a store made for {@code t} records. */
    public static StoreTask of(Task t) {
        return new StoreTask(t.name(), t.metricName());
    }

    /**
     * The built-in task this store names, for the commands that evaluate with it.
     *
     * @throws IllegalArgumentException in one line when the store names a task that is not built in (a library
     *                                  user's own task: pass its {@link Task} object directly instead)
     */
    public Task resolve() {
        try {
            return Tasks.named(task);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the block store was made for task '" + task + "' (metric " + metric
                    + "), which this build does not know (known: " + String.join(", ", Tasks.names()) + ")");
        }
    }

    /** Whether this is classification, whose commands keep the output they had before tasks existed. */
    public boolean isClassification() {
        return task.equals(Classification.TASK.name());
    }
}
