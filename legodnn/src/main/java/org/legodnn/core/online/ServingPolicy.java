package org.legodnn.core.online;

/**
 * What a serving runtime keeps to while the device's speed changes under it (other programs, heat, power): a
 * latency budget and a memory limit, and how eagerly it reacts. The runtime times every inference, compares
 * the time with the estimate of the composition that ran, and when the median ratio over a window has moved by
 * more than {@code tolerance} since the last plan (and at least {@code minIntervalMs} has passed), re-plans
 * with the latency budget divided by that ratio and swaps the new composition in: slower under load, back to
 * the more accurate one when the load is gone. The tolerance band and the interval keep it from flapping, and
 * the first {@code window} inferences after a switch are not counted (the JIT and the caches settle on the new
 * composition first).
 *
 * @param latencyMs     the latency budget at batch 1, milliseconds
 * @param memoryBytes   the memory limit, bytes, as the runtime's settings count it (never exceeded)
 * @param window        inferences in the median that measures the device's slowdown (at least 3)
 * @param tolerance     relative change of that slowdown that triggers a new plan (0.15: 15 %)
 * @param minIntervalMs the least time between two plans, milliseconds
 */
public record ServingPolicy(double latencyMs, double memoryBytes, int window, double tolerance, double minIntervalMs) {

    public ServingPolicy {
        if (!(latencyMs > 0) || !(memoryBytes > 0) || window < 3 || !(tolerance > 0) || !(minIntervalMs >= 0)) {
            throw new IllegalArgumentException("ServingPolicy: latency " + latencyMs + " ms, memory " + memoryBytes
                    + " B, window " + window + ", tolerance " + tolerance + ", interval " + minIntervalMs
                    + " ms (expected positive budgets, a window of at least 3, a positive tolerance, interval >= 0)");
        }
    }

    /** Keep within {@code latencyMs} and {@code memoryBytes}: a window of 16 inferences, 25 %, 300 ms. */
    public static ServingPolicy keepWithin(double latencyMs, double memoryBytes) {
        return new ServingPolicy(latencyMs, memoryBytes, 16, 0.25, 300);
    }
}
