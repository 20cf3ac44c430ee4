package org.legodnn.core.online;

import java.util.Arrays;
import java.util.List;
import org.legodnn.core.prune.Precision;

/**
 * What one {@link LegoDnnRuntime#update} did: the composition chosen for the budgets, what the profiles say
 * it costs and keeps, and what swapping it in cost.
 *
 * @param selection         option index per block (0 is the original block; see
 *                          {@link org.legodnn.core.prune.BlockOptions})
 * @param sparsities        the chosen descendants' sparsities, per block
 * @param precisions        the chosen descendants' precisions, per block
 * @param accuracyDrop      the summed profiled accuracy drops (a fraction)
 * @param estimatedAccuracy the teacher's profiled top-1 minus {@code accuracyDrop}
 * @param latencyMs         the estimated latency at batch 1 (frame plus the chosen descendants)
 * @param memoryBytes       the estimated memory, as the runtime's {@link MemoryMeasure} counts it
 * @param latencyBudgetMs   the latency budget solved under (larger than asked for when relaxed)
 * @param memoryBudgetBytes the memory budget solved under (larger than asked for when relaxed)
 * @param relaxed           whether no composition met the budgets asked for, so they were loosened
 * @param solveMs           wall time of the optimizer, milliseconds
 * @param swap              what the switch cost: wall time, bytes loaded from the store, descendants reused
 */
public record UpdateResult(int[] selection, double[] sparsities, List<Precision> precisions, double accuracyDrop, double estimatedAccuracy,
                           double latencyMs, double memoryBytes, double latencyBudgetMs, double memoryBudgetBytes,
                           boolean relaxed, double solveMs, SwitchReport swap) {

    public UpdateResult {
        selection = selection.clone();
        sparsities = sparsities.clone();
        precisions = List.copyOf(precisions);
    }

    @Override
    public int[] selection() {
        return selection.clone();
    }

    @Override
    public double[] sparsities() {
        return sparsities.clone();
    }

    /** Milliseconds the swap took. */
    public double swapMs() {
        return swap.swapMillis();
    }

    /** Bytes read from the block store by the swap (0 when every chosen descendant was resident). */
    public long bytesSwapped() {
        return swap.bytesLoaded();
    }

    @Override
    public String toString() {
        return "UpdateResult" + Arrays.toString(sparsities) + " accuracy " + estimatedAccuracy + ", " + latencyMs
                + " ms, " + memoryBytes + " B" + (relaxed ? " (relaxed)" : "");
    }
}
