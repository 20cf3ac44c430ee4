package org.legodnn.report;

import java.util.Objects;

/**
 * One composition of blocks as the report sees it, so that the Pareto front and the plot need nothing from
 * the optimizer: its cost (latency, memory), its estimated accuracy and, when it was run on the test set,
 * its measured accuracy.
 *
 * @param label            what the composition is, e.g. its sparsity per block or the budget that chose it
 * @param latencyMs        estimated latency in milliseconds, finite and not negative
 * @param memoryBytes      memory in bytes, not negative
 * @param accuracy         estimated top-1 accuracy as a fraction (0.9 for 90%), finite
 * @param measuredAccuracy measured top-1 accuracy as a fraction, or {@link Double#NaN} when not measured
 * @param chosen           whether the optimizer picked this composition for some budget of the sweep
 */
public record TradeoffPoint(
        String label, double latencyMs, long memoryBytes, double accuracy, double measuredAccuracy, boolean chosen) {

    /** Checks the values, so that a bad number fails here rather than as a point drawn off the chart. */
    public TradeoffPoint {
        Objects.requireNonNull(label, "label");
        if (!Double.isFinite(latencyMs) || latencyMs < 0) {
            throw new IllegalArgumentException(
                    "TradeoffPoint " + label + ": latencyMs must be finite and >= 0, got " + latencyMs);
        }
        if (memoryBytes < 0) {
            throw new IllegalArgumentException(
                    "TradeoffPoint " + label + ": memoryBytes must be >= 0, got " + memoryBytes);
        }
        if (!Double.isFinite(accuracy)) {
            throw new IllegalArgumentException(
                    "TradeoffPoint " + label + ": accuracy must be a finite fraction, got " + accuracy);
        }
        if (Double.isInfinite(measuredAccuracy)) {
            throw new IllegalArgumentException("TradeoffPoint " + label
                    + ": measuredAccuracy must be a finite fraction or NaN (not measured), got " + measuredAccuracy);
        }
    }

    /** A composition that was neither measured nor chosen: one of the many the optimizer weighed. */
    public static TradeoffPoint of(String label, double latencyMs, long memoryBytes, double accuracy) {
        return new TradeoffPoint(label, latencyMs, memoryBytes, accuracy, Double.NaN, false);
    }

    /** This composition marked as chosen by the optimizer. */
    public TradeoffPoint asChosen() {
        return new TradeoffPoint(label, latencyMs, memoryBytes, accuracy, measuredAccuracy, true);
    }

    /** This composition with its accuracy measured on the test set (a fraction, or NaN for none). */
    public TradeoffPoint withMeasured(double measured) {
        return new TradeoffPoint(label, latencyMs, memoryBytes, accuracy, measured, chosen);
    }

    /** Whether the composition was measured, i.e. {@link #measuredAccuracy()} is not NaN. */
    public boolean isMeasured() {
        return !Double.isNaN(measuredAccuracy);
    }

    /** Memory in MiB (1,048,576 bytes), the unit of {@code --memory-mb} and of the plot. */
    public double memoryMiB() {
        return memoryBytes / (1024.0 * 1024.0);
    }
}
