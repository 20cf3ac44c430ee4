package org.legodnn.nn.task;

import java.util.Map;

/**
 * A model's score on a data set for a task, as {@code eval --json} reports it.
 *
 * @param task    the task's name
 * @param metric  the metric's name ({@code top1}, {@code mIoU})
 * @param value   the metric, higher is better (a fraction from 0 to 1 for all built-in metrics)
 * @param samples images evaluated
 * @param details secondary numbers by name, in a fixed order
 */
public record Score(String task, String metric, double value, int samples, Map<String, Double> details) {

    public Score {
        details = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
    }

    /** The score {@code metric} holds after an evaluation. */
    public static Score of(Task task, Metric metric) {
        return new Score(task.name(), task.metricName(), metric.value(), metric.samples(), metric.details());
    }
}
