package org.legodnn.demo;

import java.util.List;
import org.legodnn.core.latency.LatencyProfiler;
import org.legodnn.core.latency.LatencyStats;
import org.legodnn.core.online.LegoDnnRuntime;
import org.legodnn.nn.data.Batch;
import org.legodnn.nn.task.Classification;
import org.legodnn.nn.task.Metric;
import org.legodnn.nn.task.Task;
import org.legodnn.tensor.Tensor;

/**
 * Measures the composition that is live in a runtime — the task's metric (top-1) on test batches and batch-1
 * latency — the same way the estimates were profiled, so the demo's "estimated versus measured" compares like
 * with like.
 */
public final class CompositionMeter {

    private final Task task;
    private final int classes;
    private final List<Batch> batches;
    private final Tensor one;
    private final LatencyProfiler.Settings timing;

    /**
     * A classifier's meter: top-1.
     *
     * @param batches the test batches accuracy is measured on (those the profiles were measured on)
     * @param one     a batch-1 input for timing
     */
    public CompositionMeter(List<Batch> batches, Tensor one, LatencyProfiler.Settings timing) {
        this(Classification.TASK, 0, batches, one, timing);
    }

    /**
     * A meter of {@code task}'s metric on data of {@code classes} classes (as the profiles were measured).
     *
     * @param batches the test batches accuracy is measured on (those the profiles were measured on)
     * @param one     a batch-1 input for timing
     */
    public CompositionMeter(Task task, int classes, List<Batch> batches, Tensor one, LatencyProfiler.Settings timing) {
        this.task = task;
        this.classes = classes;
        this.batches = List.copyOf(batches);
        this.one = one;
        this.timing = timing;
    }

    /** The task's metric (top-1 accuracy for a classifier) of the live composition on the test batches. */
    public double accuracy(LegoDnnRuntime runtime) {
        Metric metric = task.newMetric(classes);
        for (Batch b : batches) {
            metric.add(task.decode(runtime.infer(b.images())), b.targets());
        }
        return metric.value();
    }

    /** Batch-1 latency of the live composition. */
    public LatencyStats latency(LegoDnnRuntime runtime) {
        return LatencyProfiler.measure(() -> runtime.infer(one), timing);
    }
}
