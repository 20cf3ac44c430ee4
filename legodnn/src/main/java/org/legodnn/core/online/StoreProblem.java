package org.legodnn.core.online;

import org.legodnn.core.latency.LatencyProfile;
import org.legodnn.core.offline.BlockProfile;
import org.legodnn.core.offline.Profiles;
import org.legodnn.core.optimize.ScalingProblem;

/**
 * Turns a block store's profiles into the optimizer's numbers, so the run time and {@code optimize} state the
 * selection problem in one place: per block and descendant the profiled accuracy drop, the measured latency
 * (milliseconds) and the stored bytes; the frame is what the teacher has outside its blocks. A block's options are
 * its descendants in every precision the store holds ({@link org.legodnn.core.prune.BlockOptions}), so int8 ones
 * compete with thinner fp32 ones on the same terms.
 */
public final class StoreProblem {

    private StoreProblem() {
    }

    /**
     * The problem for budgets {@code latencyMs} and {@code memoryBytes} (either may be +∞).
     *
     * @param activationBytes the teacher's peak activation bytes at batch 1, counted in the frame when
     *                        {@code measure} is {@link MemoryMeasure#PARAMETERS_AND_ACTIVATIONS}
     * @param keepNegative    take negative accuracy drops at face value, as the original does; otherwise they
     *                        count as 0 ({@link #clampDrops})
     * @throws IllegalArgumentException when the profiles and the latency profile disagree on the blocks
     */
    public static ScalingProblem of(Profiles profiles, LatencyProfile latency, MemoryMeasure measure,
                                    long activationBytes, boolean keepNegative, double latencyMs, double memoryBytes) {
        int n = profiles.blocks();
        int options = profiles.options().count();
        if (latency.blockCount() != n) {
            throw new IllegalArgumentException("StoreProblem: latency profile has " + latency.blockCount()
                    + " blocks, the accuracy profiles " + n);
        }
        ScalingProblem.Builder b = ScalingProblem.builder();
        double blocksLatency = 0;
        double blocksMemory = 0;
        for (int i = 0; i < n; i++) {
            if (latency.descendantCount(i) != options) {
                throw new IllegalArgumentException("StoreProblem: block " + i + " has " + latency.descendantCount(i)
                        + " latency figures, expected one per option (" + profiles.options() + ")");
            }
            double[] drop = new double[options];
            double[] ms = new double[options];
            double[] bytes = new double[options];
            for (int j = 0; j < options; j++) {
                BlockProfile r = profiles.row(i, j);
                drop[j] = keepNegative ? r.accuracyDrop() : Math.max(0, r.accuracyDrop());
                ms[j] = latency.blockMs(i, j);
                bytes[j] = r.sizeBytes();
            }
            blocksLatency += ms[0];
            blocksMemory += bytes[0];
            b.block(drop, ms, bytes);
        }
        double frameMemory = profiles.teacherBytes() - blocksMemory;
        if (measure == MemoryMeasure.PARAMETERS_AND_ACTIVATIONS) {
            frameMemory += activationBytes;
        }
        return b.frame(latency.frameMs(), frameMemory).budgets(latencyMs, memoryBytes).build();
    }

    /**
     * {@code p} with every negative accuracy drop counted as 0. A profiled drop below 0 says a thinner block
     * scored better than the original in some environment; on a test set of a few thousand images that is
     * mostly noise — above all in the environment where every other block is at the largest sparsity, whose
     * accuracy can be near chance — and an optimizer that believes it picks exactly those descendants and
     * overestimates the composition's accuracy. Never assuming a descendant beats its original keeps the
     * additive estimate honest. The original LegoDNN keeps the negative values.
     */
    public static ScalingProblem clampDrops(ScalingProblem p) {
        double[][] drop = p.accuracyDrop();
        for (double[] row : drop) {
            for (int j = 0; j < row.length; j++) {
                row[j] = Math.max(0, row[j]);
            }
        }
        return new ScalingProblem(drop, p.latency(), p.memory(), p.frameLatency(), p.frameMemory(), p.latencyBudget(),
                p.memoryBudget(), p.switchBytes(), p.switchWeight());
    }
}
