package org.legodnn.core.latency;

import java.util.ArrayList;
import java.util.List;

/**
 * What every block descendant and the frame around the blocks cost in time on one device: the run-time
 * optimizer's latency figures. A composition's latency is estimated as the frame's plus the chosen
 * descendants' ({@link #estimateMs}), which is LegoDNN's additive latency model; the optimizer's per-option
 * saving is the original's {@code latency[i] × inference_time_rel_drop[i][j]}
 * ({@link #blockMs blockMs(i, 0)} × {@link #relativeDrop}).
 *
 * @param blocks    per block {@code i} (in the order of the model's blocks), per descendant {@code j} (0 is the
 *                  original block), the measured latency of the descendant run alone at the block's input shape
 * @param frameMs   the latency of everything outside the blocks, milliseconds: the whole model's median minus
 *                  the blocks' original medians ({@link #of}), never negative
 * @param whole     the whole model with every block at descendant 0, measured end to end
 * @param batchSize the batch size of every measurement (LegoDNN profiles one image: 1)
 * @param threads   the JVM's kernel thread count during the measurements (on an OpenCL device the host's; the
 *                  device schedules its own)
 * @param backend   where it ran: "cpu", or "opencl:" and the OpenCL device's name
 */
public record LatencyProfile(List<List<LatencyStats>> blocks, double frameMs, LatencyStats whole, int batchSize,
                             int threads, String backend) {

    /** The backend name of profiles measured on the JVM's own kernels. */
    public static final String CPU = "cpu";

    public LatencyProfile {
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("LatencyProfile: no blocks (expected at least 1)");
        }
        List<List<LatencyStats>> copy = new ArrayList<>(blocks.size());
        for (int i = 0; i < blocks.size(); i++) {
            if (blocks.get(i).isEmpty()) {
                throw new IllegalArgumentException("LatencyProfile: block " + i + " has no descendant (expected at least 1)");
            }
            copy.add(List.copyOf(blocks.get(i)));
        }
        blocks = List.copyOf(copy);
        if (!(frameMs >= 0) || !Double.isFinite(frameMs)) {
            throw new IllegalArgumentException("LatencyProfile: frame latency " + frameMs
                    + " ms (expected finite and non-negative)");
        }
        if (whole == null || backend == null) {
            throw new IllegalArgumentException("LatencyProfile: whole-model latency and backend are required");
        }
        if (batchSize < 1 || threads < 1) {
            throw new IllegalArgumentException("LatencyProfile: batch size " + batchSize + ", threads " + threads
                    + " (expected both at least 1)");
        }
    }

    /**
     * A batch-1 CPU profile whose frame latency is computed: {@code whole.medianMs() − Σ_i blockMs(i, 0)},
     * clamped at 0. The clamp matters when the frame is tiny (a stem conv, a pooling, a linear layer) and
     * timing noise or the per-call overhead of running each block alone makes the blocks' sum exceed the
     * whole; the estimate of a composition is then the blocks' sum alone.
     */
    public static LatencyProfile of(List<List<LatencyStats>> blocks, LatencyStats whole, int threads) {
        return of(blocks, whole, threads, CPU);
    }

    /** {@link #of(List, LatencyStats, int)} measured on {@code backend} (e.g. {@code "opencl:NVIDIA H100"}). */
    public static LatencyProfile of(List<List<LatencyStats>> blocks, LatencyStats whole, int threads, String backend) {
        double sum = 0;
        for (List<LatencyStats> b : blocks) {
            sum += b.isEmpty() ? 0 : b.get(0).medianMs();
        }
        return new LatencyProfile(blocks, Math.max(0, whole.medianMs() - sum), whole, 1, threads, backend);
    }

    /** The number of blocks. */
    public int blockCount() {
        return blocks.size();
    }

    /** The number of descendants of block {@code i}. */
    public int descendantCount(int i) {
        stats(i, 0); // checks i
        return blocks.get(i).size();
    }

    /** The median latency of descendant {@code j} of block {@code i}, milliseconds. */
    public double blockMs(int i, int j) {
        return stats(i, j).medianMs();
    }

    /** The whole model's median latency with every block at descendant 0, milliseconds. */
    public double wholeMs() {
        return whole.medianMs();
    }

    /**
     * The original's {@code inference_time_rel_drop}: the share of block {@code i}'s original latency that
     * descendant {@code j} saves, {@code 1 − blockMs(i, j) / blockMs(i, 0)} (0 for {@code j = 0}; negative when
     * the descendant is slower; 0 when the original measured 0 ms, rather than a division by zero).
     */
    public double relativeDrop(int i, int j) {
        double original = blockMs(i, 0);
        double d = blockMs(i, j);
        return original == 0 ? 0 : 1 - d / original;
    }

    /**
     * The estimated latency of the composition that picks descendant {@code selection[i]} for block {@code i}:
     * {@code frameMs + Σ_i blockMs(i, selection[i])}, milliseconds.
     *
     * @throws IllegalArgumentException when the selection's length or an index is out of range
     */
    public double estimateMs(int[] selection) {
        if (selection.length != blocks.size()) {
            throw new IllegalArgumentException("LatencyProfile.estimateMs: selection of " + selection.length
                    + " entries (expected one per block: " + blocks.size() + ")");
        }
        double t = frameMs;
        for (int i = 0; i < selection.length; i++) {
            if (selection[i] < 0 || selection[i] >= blocks.get(i).size()) {
                throw new IllegalArgumentException("LatencyProfile.estimateMs: block " + i + " has "
                        + blocks.get(i).size() + " descendants, selection asks for index " + selection[i]);
            }
            t += blockMs(i, selection[i]);
        }
        return t;
    }

    /** This profile with every latency (blocks, frame, whole model) multiplied by {@code factor} (finite, > 0). */
    public LatencyProfile scaled(double factor) {
        if (!(factor > 0) || !Double.isFinite(factor)) {
            throw new IllegalArgumentException("LatencyProfile.scaled: factor " + factor + " (expected finite and > 0)");
        }
        List<List<LatencyStats>> out = new ArrayList<>(blocks.size());
        for (List<LatencyStats> b : blocks) {
            List<LatencyStats> row = new ArrayList<>(b.size());
            for (LatencyStats s : b) {
                row.add(s.scaled(factor));
            }
            out.add(row);
        }
        return new LatencyProfile(out, frameMs * factor, whole.scaled(factor), batchSize, threads, backend);
    }

    /** The statistics of descendant {@code j} of block {@code i}. */
    public LatencyStats stats(int i, int j) {
        if (i < 0 || i >= blocks.size() || j < 0 || j >= blocks.get(i).size()) {
            throw new IllegalArgumentException("LatencyProfile: no descendant " + j + " of block " + i + " (expected block < "
                    + blocks.size() + (i >= 0 && i < blocks.size() ? ", descendant < " + blocks.get(i).size() : "") + ")");
        }
        return blocks.get(i).get(j);
    }
}
