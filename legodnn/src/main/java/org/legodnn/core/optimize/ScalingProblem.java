package org.legodnn.core.optimize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The selection problem LegoDNN solves at run time, as plain numbers, so that the solver, brute force and
 * a second MIP solver in the tests all read one definition: pick exactly one option (descendant) per block,
 * minimise {@code Σ accuracyDrop + switchWeight · Σ switchBytes}, subject to
 * {@code frameLatency + Σ latency ≤ latencyBudget} and {@code frameMemory + Σ memory ≤ memoryBudget}.
 *
 * <p>Per-option values are absolute contributions of the block with that option (milliseconds and bytes
 * in LegoDNN, though nothing here depends on the units); the frame is what lies outside the blocks. Any
 * value may be negative (a pruned block measured slower than its original gives a negative latency drop).
 * Blocks may have different numbers of options; option 0 is, by LegoDNN's convention, the original block,
 * which {@link Relaxation} uses as its step size.
 *
 * <p>Every solver decides feasibility with {@link #fits(double, double)} on sums taken by
 * {@link #latencyOf(int[])} and {@link #memoryOf(int[])} in block order, which allow a rounding slack of
 * {@value #RELATIVE_SLACK} of the budget, so that a composition at exactly the budget fits whatever order the
 * sums were taken in.
 *
 * <p>The arrays are copied in and never handed out; read single values with the two-index accessors.
 *
 * @param accuracyDrop  per block, per option: accuracy lost (a fraction in LegoDNN)
 * @param latency       per block, per option: the block's latency with that option
 * @param memory        per block, per option: the block's memory with that option
 * @param frameLatency  latency outside the blocks
 * @param frameMemory   memory outside the blocks
 * @param latencyBudget the most latency allowed ({@code +∞} for none)
 * @param memoryBudget  the most memory allowed ({@code +∞} for none)
 * @param switchBytes   per block, per option: bytes to load to reach that option from the composition now
 *                      running (0 for the option already there); {@code null} when switching is free
 * @param switchWeight  λ, objective units per switched byte, {@code ≥ 0}; 0 ignores switching
 */
public record ScalingProblem(double[][] accuracyDrop, double[][] latency, double[][] memory, double frameLatency,
                             double frameMemory, double latencyBudget, double memoryBudget, double[][] switchBytes,
                             double switchWeight) {

    /** The rounding slack that {@link #fits} allows, relative to the budget (absolute below a budget of 1). */
    public static final double RELATIVE_SLACK = 1e-9;

    public ScalingProblem {
        int n = accuracyDrop.length;
        if (latency.length != n || memory.length != n || (switchBytes != null && switchBytes.length != n)) {
            throw new IllegalArgumentException("ScalingProblem: accuracyDrop, latency, memory"
                    + (switchBytes != null ? ", switchBytes" : "") + " must have one row per block; got "
                    + n + ", " + latency.length + ", " + memory.length
                    + (switchBytes != null ? ", " + switchBytes.length : ""));
        }
        for (int i = 0; i < n; i++) {
            int k = accuracyDrop[i].length;
            if (k == 0) {
                throw new IllegalArgumentException("ScalingProblem: block " + i + " has no options; expected at least 1");
            }
            if (latency[i].length != k || memory[i].length != k || (switchBytes != null && switchBytes[i].length != k)) {
                throw new IllegalArgumentException("ScalingProblem: block " + i + " has " + k
                        + " accuracy drops but " + latency[i].length + " latencies and " + memory[i].length
                        + " memories" + (switchBytes != null ? " and " + switchBytes[i].length + " switch sizes" : "")
                        + "; expected the same count");
            }
            for (int j = 0; j < k; j++) {
                requireFinite("accuracyDrop", i, j, accuracyDrop[i][j]);
                requireFinite("latency", i, j, latency[i][j]);
                requireFinite("memory", i, j, memory[i][j]);
                if (switchBytes != null) {
                    requireFinite("switchBytes", i, j, switchBytes[i][j]);
                }
            }
        }
        if (!Double.isFinite(frameLatency) || !Double.isFinite(frameMemory)) {
            throw new IllegalArgumentException("ScalingProblem: frame latency and memory must be finite; got "
                    + frameLatency + ", " + frameMemory);
        }
        if (Double.isNaN(latencyBudget) || Double.isNaN(memoryBudget) || latencyBudget == Double.NEGATIVE_INFINITY
                || memoryBudget == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("ScalingProblem: budgets must be numbers or +Infinity; got latency "
                    + latencyBudget + ", memory " + memoryBudget);
        }
        if (!(switchWeight >= 0) || !Double.isFinite(switchWeight)) {
            throw new IllegalArgumentException("ScalingProblem: switchWeight must be finite and >= 0; got " + switchWeight);
        }
        accuracyDrop = copy(accuracyDrop);
        latency = copy(latency);
        memory = copy(memory);
        switchBytes = switchBytes == null ? null : copy(switchBytes);
    }

    /** A builder that collects one block at a time. */
    public static Builder builder() {
        return new Builder();
    }

    /** The number of blocks. */
    public int blocks() {
        return accuracyDrop.length;
    }

    /** The number of options of {@code block}. */
    public int options(int block) {
        return accuracyDrop[block].length;
    }

    /** The accuracy drop of option {@code j} of block {@code i}. */
    public double accuracyDrop(int i, int j) {
        return accuracyDrop[i][j];
    }

    /** The latency of option {@code j} of block {@code i}. */
    public double latency(int i, int j) {
        return latency[i][j];
    }

    /** The memory of option {@code j} of block {@code i}. */
    public double memory(int i, int j) {
        return memory[i][j];
    }

    /** The bytes to switch in for option {@code j} of block {@code i} (0 without a switching term). */
    public double switchBytes(int i, int j) {
        return switchBytes == null ? 0 : switchBytes[i][j];
    }

    /** What option {@code j} of block {@code i} adds to the objective: its drop plus λ times its switch bytes. */
    public double cost(int i, int j) {
        return switchWeight == 0 ? accuracyDrop[i][j] : accuracyDrop[i][j] + switchWeight * switchBytes(i, j);
    }

    @Override
    public double[][] accuracyDrop() {
        return copy(accuracyDrop);
    }

    @Override
    public double[][] latency() {
        return copy(latency);
    }

    @Override
    public double[][] memory() {
        return copy(memory);
    }

    @Override
    public double[][] switchBytes() {
        return switchBytes == null ? null : copy(switchBytes);
    }

    /** The same options with other budgets (what {@link Relaxation} re-solves). */
    public ScalingProblem withBudgets(double newLatencyBudget, double newMemoryBudget) {
        return new ScalingProblem(accuracyDrop, latency, memory, frameLatency, frameMemory, newLatencyBudget,
                newMemoryBudget, switchBytes, switchWeight);
    }

    /** The total accuracy drop of a composition (one option index per block), summed in block order. */
    public double accuracyDropOf(int[] choice) {
        check(choice);
        double s = 0;
        for (int i = 0; i < choice.length; i++) {
            s += accuracyDrop[i][choice[i]];
        }
        return s;
    }

    /** The objective of a composition: its accuracy drop plus λ times its switch bytes. */
    public double objectiveOf(int[] choice) {
        double drop = accuracyDropOf(choice);
        if (switchWeight == 0) {
            return drop;
        }
        double bytes = 0;
        for (int i = 0; i < choice.length; i++) {
            bytes += switchBytes(i, choice[i]);
        }
        return drop + switchWeight * bytes;
    }

    /** Frame plus block latencies of a composition, summed in block order. */
    public double latencyOf(int[] choice) {
        check(choice);
        double s = frameLatency;
        for (int i = 0; i < choice.length; i++) {
            s += latency[i][choice[i]];
        }
        return s;
    }

    /** Frame plus block memories of a composition, summed in block order. */
    public double memoryOf(int[] choice) {
        check(choice);
        double s = frameMemory;
        for (int i = 0; i < choice.length; i++) {
            s += memory[i][choice[i]];
        }
        return s;
    }

    /** Whether a total latency and memory meet the budgets, within {@link #RELATIVE_SLACK}. */
    public boolean fits(double totalLatency, double totalMemory) {
        return totalLatency <= latencyBudget + slack(latencyBudget) && totalMemory <= memoryBudget + slack(memoryBudget);
    }

    /** Whether a composition meets both budgets. */
    public boolean feasible(int[] choice) {
        return fits(latencyOf(choice), memoryOf(choice));
    }

    /** The slack {@link #fits} allows over a budget. */
    static double slack(double budget) {
        return RELATIVE_SLACK * Math.max(1.0, Math.abs(budget));
    }

    /** The latency of the slowest composition (every block at its slowest option). */
    public double maxLatency() {
        return frameLatency + extreme(latency, true);
    }

    /** The latency of the fastest composition. */
    public double minLatency() {
        return frameLatency + extreme(latency, false);
    }

    /** The memory of the largest composition. */
    public double maxMemory() {
        return frameMemory + extreme(memory, true);
    }

    /** The memory of the smallest composition. */
    public double minMemory() {
        return frameMemory + extreme(memory, false);
    }

    /** A composition's numbers as a {@link Selection}. */
    public Selection evaluate(int[] choice, boolean optimal, long nodes) {
        return new Selection(choice, objectiveOf(choice), accuracyDropOf(choice), latencyOf(choice), memoryOf(choice),
                optimal, nodes, optimal ? 0 : Double.NaN);
    }

    private static double extreme(double[][] v, boolean max) {
        double s = 0;
        for (double[] row : v) {
            double e = row[0];
            for (double x : row) {
                e = max ? Math.max(e, x) : Math.min(e, x);
            }
            s += e;
        }
        return s;
    }

    private void check(int[] choice) {
        if (choice.length != accuracyDrop.length) {
            throw new IllegalArgumentException("ScalingProblem: a composition needs one option per block; got "
                    + choice.length + " for " + accuracyDrop.length + " blocks");
        }
        for (int i = 0; i < choice.length; i++) {
            if (choice[i] < 0 || choice[i] >= accuracyDrop[i].length) {
                throw new IllegalArgumentException("ScalingProblem: option " + choice[i] + " of block " + i
                        + " out of range; expected 0.." + (accuracyDrop[i].length - 1));
            }
        }
    }

    private static void requireFinite(String what, int i, int j, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("ScalingProblem: " + what + "[" + i + "][" + j + "] = " + v
                    + "; expected a finite number");
        }
    }

    static double[][] copy(double[][] v) {
        double[][] out = new double[v.length][];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i].clone();
        }
        return out;
    }

    @Override
    public String toString() {
        return "ScalingProblem[" + blocks() + " blocks, latency budget " + latencyBudget + ", memory budget "
                + memoryBudget + ", frame " + frameLatency + " / " + frameMemory + ", λ " + switchWeight + "]";
    }

    /** Collects blocks one at a time; budgets default to +∞, the frame to 0, switching to none. */
    public static final class Builder {
        private final List<double[]> drops = new ArrayList<>();
        private final List<double[]> latencies = new ArrayList<>();
        private final List<double[]> memories = new ArrayList<>();
        private double frameLatency;
        private double frameMemory;
        private double latencyBudget = Double.POSITIVE_INFINITY;
        private double memoryBudget = Double.POSITIVE_INFINITY;
        private double[][] switchBytes;
        private double switchWeight;

        private Builder() {
        }

        /** Adds the next block: per option its accuracy drop, latency and memory. */
        public Builder block(double[] accuracyDrop, double[] latency, double[] memory) {
            drops.add(accuracyDrop.clone());
            latencies.add(latency.clone());
            memories.add(memory.clone());
            return this;
        }

        /** Latency and memory outside the blocks. */
        public Builder frame(double latency, double memory) {
            this.frameLatency = latency;
            this.frameMemory = memory;
            return this;
        }

        /** The budgets. */
        public Builder budgets(double latency, double memory) {
            this.latencyBudget = latency;
            this.memoryBudget = memory;
            return this;
        }

        /** The switching term: per block and option the bytes to load, and λ. */
        public Builder switching(double[][] bytes, double weight) {
            this.switchBytes = bytes == null ? null : copy(bytes);
            this.switchWeight = weight;
            return this;
        }

        /** The problem; throws {@link IllegalArgumentException} on ragged or non-finite input. */
        public ScalingProblem build() {
            return new ScalingProblem(drops.toArray(new double[0][]), latencies.toArray(new double[0][]),
                    memories.toArray(new double[0][]), frameLatency, frameMemory, latencyBudget, memoryBudget,
                    switchBytes, switchWeight);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ScalingProblem p)) {
            return false;
        }
        return Arrays.deepEquals(accuracyDrop, p.accuracyDrop) && Arrays.deepEquals(latency, p.latency)
                && Arrays.deepEquals(memory, p.memory) && Arrays.deepEquals(switchBytes, p.switchBytes)
                && Double.compare(frameLatency, p.frameLatency) == 0 && Double.compare(frameMemory, p.frameMemory) == 0
                && Double.compare(latencyBudget, p.latencyBudget) == 0
                && Double.compare(memoryBudget, p.memoryBudget) == 0
                && Double.compare(switchWeight, p.switchWeight) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(accuracyDrop) * 31 + Double.hashCode(latencyBudget) * 17 + Double.hashCode(memoryBudget);
    }
}
