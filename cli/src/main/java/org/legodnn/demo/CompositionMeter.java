package org.legodnn.demo;

import java.util.List;
import org.legodnn.core.latency.LatencyProfiler;
import org.legodnn.core.latency.LatencyStats;
import org.legodnn.core.online.LegoDnnRuntime;
import org.legodnn.nn.data.Batch;
import org.legodnn.nn.train.Evaluator;
import org.legodnn.tensor.Tensor;

/**
 * Measures the composition that is live in a runtime — top-1 on test batches and batch-1 latency — the same
 * way the estimates were profiled, so the demo's "estimated versus measured" compares like with like.
 */
public final class CompositionMeter {

    private final List<Batch> batches;
    private final Tensor one;
    private final LatencyProfiler.Settings timing;

    /**
     * @param batches the test batches accuracy is measured on (those the profiles were measured on)
     * @param one     a batch-1 input for timing
     */
    public CompositionMeter(List<Batch> batches, Tensor one, LatencyProfiler.Settings timing) {
        this.batches = List.copyOf(batches);
        this.one = one;
        this.timing = timing;
    }

    /** Top-1 accuracy of the live composition on the test batches. */
    public double accuracy(LegoDnnRuntime runtime) {
        long correct = 0;
        long images = 0;
        for (Batch b : batches) {
            correct += Evaluator.countCorrect(runtime.infer(b.images()), b.labels());
            images += b.size();
        }
        return (double) correct / images;
    }

    /** Batch-1 latency of the live composition. */
    public LatencyStats latency(LegoDnnRuntime runtime) {
        return LatencyProfiler.measure(() -> runtime.infer(one), timing);
    }
}
