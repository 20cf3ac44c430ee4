package org.legodnn.core.offline;

import java.util.List;
import java.util.Map;

/**
 * Everything profiling measured: one row per (block, sparsity), the teacher's totals, and the accuracy of
 * every composed model that was evaluated — the contents of the original's five profile files.
 *
 * @param sparsities      the sparsities, in descendant order
 * @param rows            block by block, sparsity by sparsity
 * @param teacherAccuracy top-1 of the model with every block at sparsity 0
 * @param teacherParams   parameters of the whole teacher (weights, BN scale and shift)
 * @param teacherFlops    FLOPs of the whole teacher
 * @param teacherBytes    bytes of the teacher's stored float32 values (running statistics included)
 * @param testImages      how many test images every accuracy was measured on
 * @param tested          per evaluated selection (descendant index per block), its top-1 accuracy, in the
 *                        order they were measured
 */
public record Profiles(double[] sparsities, List<BlockProfile> rows, double teacherAccuracy, long teacherParams,
                       long teacherFlops, long teacherBytes, int testImages, Map<List<Integer>, Double> tested) {

    /** The row of block {@code block} (position among the blocks) at descendant index {@code j}. */
    public BlockProfile row(int block, int j) {
        return rows.get(block * sparsities.length + j);
    }

    /** The number of blocks profiled. */
    public int blocks() {
        return rows.size() / sparsities.length;
    }
}
