package org.legodnn.core.offline;

import java.util.ArrayList;
import java.util.List;
import org.legodnn.core.blocks.Block;
import org.legodnn.core.latency.LatencyProfile;
import org.legodnn.core.prune.BlockOptions;
import org.legodnn.core.prune.Descendant;
import org.legodnn.core.prune.PruningCriterion;
import org.legodnn.graph.Graph;
import org.legodnn.nn.data.Normalize;

/**
 * What {@link BlockStore#write} puts on disk: the teacher, how it was cut and pruned, every descendant's
 * current weights, and — once those stages ran — retraining results and profiles.
 *
 * @param model       how the teacher was named on the command line (a zoo name or an ONNX file)
 * @param task        the task the store is made for and the metric its profiles hold
 * @param dataset     the data set retraining and profiling use
 * @param teacher     the teacher graph (frame and original blocks, traced or imported)
 * @param blocks      the blocks extracted from {@code teacher} with {@code maxRatio}
 * @param descendants per block, its options ({@link #options}): one descendant per sparsity in fp32, then, when
 *                    int8 variants were made ({@link Int8Variants}), one per sparsity in int8
 * @param sparsities  the sparsities, in descendant order
 * @param maxRatio    the block-size ratio extraction used
 * @param criterion   the pruning criterion
 * @param normalize   the input normalization the teacher expects (null: none recorded)
 * @param retrained   retraining results, or null before retraining
 * @param profiles    profiles, or null before profiling
 * @param latency     per-descendant latency on the device that profiled, or null before it was measured
 */
public record StoreContents(String model, StoreTask task, String dataset, Graph teacher, List<Block> blocks,
                            List<List<Descendant>> descendants, double[] sparsities, double maxRatio,
                            PruningCriterion criterion, Normalize normalize, List<RetrainResult> retrained,
                            Profiles profiles, LatencyProfile latency) {

    /**
     * @throws IllegalArgumentException when the profiles hold another metric than {@code task}'s
     */
    public StoreContents {
        if (task == null) {
            throw new IllegalArgumentException("StoreContents: no task (StoreTask.CLASSIFICATION for a classifier)");
        }
        if (!descendants.isEmpty()) {
            BlockOptions first = BlockOptions.of(sparsities, descendants.get(0));
            for (List<Descendant> ds : descendants) {
                if (!BlockOptions.of(sparsities, ds).equals(first)) {
                    throw new IllegalArgumentException("StoreContents: block " + ds.get(0).blockIndex() + " offers "
                            + BlockOptions.of(sparsities, ds) + ", the first block " + first);
                }
            }
        }
        if (profiles != null && !profiles.metric().equals(task.metric())) {
            throw new IllegalArgumentException("StoreContents: profiles of metric " + profiles.metric()
                    + " for a store of task " + task.task() + " (metric " + task.metric() + ")");
        }
    }

    /** A classifier's contents (top-1). */
    public StoreContents(String model, String dataset, Graph teacher, List<Block> blocks,
                         List<List<Descendant>> descendants, double[] sparsities, double maxRatio,
                         PruningCriterion criterion, Normalize normalize, List<RetrainResult> retrained,
                         Profiles profiles, LatencyProfile latency) {
        this(model, StoreTask.CLASSIFICATION, dataset, teacher, blocks, descendants, sparsities, maxRatio, criterion,
                normalize, retrained, profiles, latency);
    }

    /** A classifier's contents without a latency profile. */
    public StoreContents(String model, String dataset, Graph teacher, List<Block> blocks,
                         List<List<Descendant>> descendants, double[] sparsities, double maxRatio,
                         PruningCriterion criterion, Normalize normalize, List<RetrainResult> retrained,
                         Profiles profiles) {
        this(model, dataset, teacher, blocks, descendants, sparsities, maxRatio, criterion, normalize, retrained,
                profiles, null);
    }

    /** The furthest stage reached: {@code extracted}, {@code retrained} or {@code profiled}. */
    public String stage() {
        return profiles != null ? "profiled" : retrained != null ? "retrained" : "extracted";
    }

    /** Each block's options: the sparsities in every precision its descendants come in (fp32 alone before int8). */
    public BlockOptions options() {
        return descendants.isEmpty() ? BlockOptions.fp32(sparsities) : BlockOptions.of(sparsities, descendants.get(0));
    }

    /**
     * These contents with {@code ds} as every block's options; profiles and latency, which were measured for the
     * old options, are dropped when the options change.
     */
    public StoreContents withDescendants(List<List<Descendant>> ds) {
        boolean same = ds.isEmpty() || BlockOptions.of(sparsities, ds.get(0)).equals(options());
        return new StoreContents(model, task, dataset, teacher, blocks, ds, sparsities, maxRatio, criterion,
                normalize, retrained, same ? profiles : null, same ? latency : null);
    }

    /** These contents with only the fp32 descendants (what retraining trains and int8 variants are made from). */
    public StoreContents fp32Only() {
        if (!options().mixed()) {
            return this;
        }
        List<List<Descendant>> fp32 = new ArrayList<>(descendants.size());
        for (List<Descendant> ds : descendants) {
            fp32.add(List.copyOf(ds.subList(0, sparsities.length)));
        }
        return withDescendants(List.copyOf(fp32));
    }

    public StoreContents withRetrained(List<RetrainResult> r) {
        return new StoreContents(model, task, dataset, teacher, blocks, descendants, sparsities, maxRatio, criterion,
                normalize, r, profiles, latency);
    }

    public StoreContents withProfiles(Profiles p) {
        return new StoreContents(model, task, dataset, teacher, blocks, descendants, sparsities, maxRatio, criterion,
                normalize, retrained, p, latency);
    }

    /** These contents with {@code n} as the teacher's input normalization. */
    public StoreContents withNormalize(Normalize n) {
        return new StoreContents(model, task, dataset, teacher, blocks, descendants, sparsities, maxRatio, criterion,
                n, retrained, profiles, latency);
    }

    public StoreContents withLatency(LatencyProfile l) {
        return new StoreContents(model, task, dataset, teacher, blocks, descendants, sparsities, maxRatio, criterion,
                normalize, retrained, profiles, l);
    }
}
