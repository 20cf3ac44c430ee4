package org.legodnn.core.offline;

import java.util.List;
import java.util.Map;

/**
 * Everything profiling measured: one row per (block, sparsity), the teacher's totals, and the accuracy of
 * every composed model that was evaluated — the contents of the original's five profile files.
 *
 * @param sparsities      the sparsities, in descendant order
 * @param rows            block by block, sparsity by sparsity
 * @param teacherAccuracy the metric of the model with every block at sparsity 0 (top-1 for a classifier)
 * @param teacherParams   parameters of the whole teacher (weights, BN scale and shift)
 * @param teacherFlops    FLOPs of the whole teacher
 * @param teacherBytes    bytes of the teacher's stored float32 values (running statistics included)
 * @param testImages      how many test images every accuracy was measured on
 * @param tested          per evaluated selection (descendant index per block), its metric, in the order they
 *                        were measured
 * @param metric          the name of the metric every "accuracy" here holds ({@code top1}, {@code mIoU}, ...)
 */
public record Profiles(double[] sparsities, List<BlockProfile> rows, double teacherAccuracy, long teacherParams,
                       long teacherFlops, long teacherBytes, int testImages, Map<List<Integer>, Double> tested,
                       String metric) {

    /** Profiles of a classifier: the accuracies are top-1. */
    public Profiles(double[] sparsities, List<BlockProfile> rows, double teacherAccuracy, long teacherParams,
                    long teacherFlops, long teacherBytes, int testImages, Map<List<Integer>, Double> tested) {
        this(sparsities, rows, teacherAccuracy, teacherParams, teacherFlops, teacherBytes, testImages, tested,
                StoreTask.CLASSIFICATION.metric());
    }

    /** The row of block {@code block} (position among the blocks) at descendant index {@code j}. */
    public BlockProfile row(int block, int j) {
        return rows.get(block * sparsities.length + j);
    }

    /** The number of blocks profiled. */
    public int blocks() {
        return rows.size() / sparsities.length;
    }
}
