package org.legodnn.core.offline;

import java.util.List;
import java.util.Map;
import org.legodnn.core.prune.BlockOptions;
import org.legodnn.core.prune.Precision;

/**
 * Everything profiling measured: one row per (block, option), the teacher's totals, and the accuracy of
 * every composed model that was evaluated — the contents of the original's five profile files, and beyond them
 * the int8 options when the store holds some ({@link BlockOptions}: every sparsity in fp32, then in int8).
 *
 * @param sparsities      the sparsities, in descendant order
 * @param rows            block by block, option by option ({@link #options()})
 * @param teacherAccuracy the metric of the model with every block at sparsity 0 (top-1 for a classifier)
 * @param teacherParams   parameters of the whole teacher (weights, BN scale and shift)
 * @param teacherFlops    FLOPs of the whole teacher
 * @param teacherBytes    bytes of the teacher's stored float32 values (running statistics included)
 * @param testImages      how many test images every accuracy was measured on
 * @param tested          per evaluated selection (option index per block), its metric, in the order they
 *                        were measured
 * @param metric          the name of the metric every "accuracy" here holds ({@code top1}, {@code mIoU}, ...)
 * @param precisions      the precisions every sparsity was profiled in, fp32 first
 */
public record Profiles(double[] sparsities, List<BlockProfile> rows, double teacherAccuracy, long teacherParams,
                       long teacherFlops, long teacherBytes, int testImages, Map<List<Integer>, Double> tested,
                       String metric, List<Precision> precisions) {

    public Profiles {
        precisions = List.copyOf(precisions);
        new BlockOptions(sparsities, precisions); // checks them
    }

    /** Profiles of fp32 descendants only. */
    public Profiles(double[] sparsities, List<BlockProfile> rows, double teacherAccuracy, long teacherParams,
                    long teacherFlops, long teacherBytes, int testImages, Map<List<Integer>, Double> tested,
                    String metric) {
        this(sparsities, rows, teacherAccuracy, teacherParams, teacherFlops, teacherBytes, testImages, tested, metric,
                List.of(Precision.FP32));
    }

    /** Profiles of a classifier: the accuracies are top-1. */
    public Profiles(double[] sparsities, List<BlockProfile> rows, double teacherAccuracy, long teacherParams,
                    long teacherFlops, long teacherBytes, int testImages, Map<List<Integer>, Double> tested) {
        this(sparsities, rows, teacherAccuracy, teacherParams, teacherFlops, teacherBytes, testImages, tested,
                StoreTask.CLASSIFICATION.metric());
    }

    /** Each block's options: the sparsities in every precision profiled. */
    public BlockOptions options() {
        return new BlockOptions(sparsities, precisions);
    }

    /** The row of block {@code block} (position among the blocks) at option {@code j}. */
    public BlockProfile row(int block, int j) {
        return rows.get(block * sparsities.length * precisions.size() + j);
    }

    /** The number of blocks profiled. */
    public int blocks() {
        return rows.size() / (sparsities.length * precisions.size());
    }
}
