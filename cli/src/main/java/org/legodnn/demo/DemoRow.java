package org.legodnn.demo;

import org.legodnn.core.latency.LatencyStats;
import org.legodnn.core.online.UpdateResult;

/**
 * One line of the demo's table: a budget, the composition the runtime chose for it, and that composition's
 * estimated and measured accuracy and latency.
 *
 * @param budget           what was asked for
 * @param update           what the runtime chose and what swapping it in cost
 * @param measuredAccuracy top-1 of the live composition on the profiling test images
 * @param measuredLatency  batch-1 latency of the live composition
 */
public record DemoRow(BudgetSweep.Budget budget, UpdateResult update, double measuredAccuracy,
                      LatencyStats measuredLatency) {

    /** |estimated − measured| accuracy, in percentage points. */
    public double accuracyGapPoints() {
        return 100 * Math.abs(update.estimatedAccuracy() - measuredAccuracy);
    }
}
