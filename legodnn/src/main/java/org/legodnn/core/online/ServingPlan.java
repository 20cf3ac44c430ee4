package org.legodnn.core.online;

/**
 * One plan of a runtime that keeps to a {@link ServingPolicy}, so that a caller (or the demo) can show how the
 * served model followed the device.
 *
 * @param atNanos         when, on the runtime's clock ({@link System#nanoTime()} unless a test gave another)
 * @param slowdown        the measured latency over the profiled estimate that the plan was made for (1 = as profiled)
 * @param latencyBudgetMs the budget the optimizer was given: the policy's divided by the slowdown
 * @param selection       the composition chosen, a descendant index per block
 * @param estimatedMs     its latency estimated from the profile (times the slowdown is what should be measured)
 */
public record ServingPlan(long atNanos, double slowdown, double latencyBudgetMs, int[] selection, double estimatedMs) {

    public ServingPlan {
        selection = selection.clone();
    }

    @Override
    public int[] selection() {
        return selection.clone();
    }
}
