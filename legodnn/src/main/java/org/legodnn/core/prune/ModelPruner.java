package org.legodnn.core.prune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.analysis.GraphAnalysis;

/**
 * Whole-model structured pruning, for deploying one smaller model rather than a LegoDNN block store (what users
 * of Torch-Pruning expect): the model graph is pruned as one block by the machinery that derives descendants
 * ({@link PrunableGroups} for the coupled channels, {@link GraphSlicer} for the cutting), so the result is a
 * physically smaller graph with the same input and output shapes. The layers that produce the model's outputs
 * (a classifier's logits, a segmentation head's class maps) are never pruned: their channels reach the graph's
 * outputs, which are fixed.
 *
 * <p>A sparsity is shared among the channel groups as {@link PruningAllocation} says, and every group's kept
 * channel count is rounded to a multiple of {@link Settings#roundTo} ({@link GroupDrops}). {@link #toFlops}
 * searches, by bisection, the least sparsity whose pruned model needs at most a given fraction of the original
 * FLOPs (FLOPs as {@code info} counts them, {@link GraphAnalysis}); the FLOPs only fall as the sparsity grows, so
 * the bisection finds it.
 */
public final class ModelPruner {

    /** Bisection steps of {@link #toFlops}: the sparsity to within 2^-30, finer than any channel count. */
    private static final int BISECTION_STEPS = 30;

    /**
     * How to prune.
     *
     * @param criterion  how channels are ranked within a group
     * @param allocation how a sparsity is shared among groups
     * @param roundTo    kept channel counts per group are multiples of this (at least 1; 1 keeps exact counts)
     */
    public record Settings(PruningCriterion criterion, PruningAllocation allocation, int roundTo) {

        public Settings {
            if (criterion == null || allocation == null || roundTo < 1) {
                throw new IllegalArgumentException("ModelPruner.Settings: criterion " + criterion + ", allocation "
                        + allocation + ", round-to " + roundTo + " (expected both named and round-to >= 1)");
            }
        }
    }

    /**
     * A pruned model.
     *
     * @param graph        the smaller graph (the original graph when nothing was cut)
     * @param sparsity     the sparsity it was pruned at (from {@link #toFlops}: one of those that give this pruning)
     * @param removed      the fraction of the prunable channels that went (after rounding)
     * @param params       its parameters, as {@code info} counts them
     * @param flops        its FLOPs, as {@code info} counts them
     * @param keptChannels per conv whose output channels were cut (module path), the channels it kept
     */
    public record Result(Graph graph, double sparsity, double removed, long params, long flops,
                         Map<String, int[]> keptChannels) {
    }

    private final Graph model;
    private final Settings settings;
    private final BlockPruner pruner;
    private final long params;
    private final long flops;

    /**
     * Analyses {@code model} (fixed input shapes: the shapes are what is sliced) and scores its channels once.
     *
     * @throws IllegalArgumentException when the model has no channel group that may be pruned, naming why each
     *                                  group with conv outputs is left whole
     */
    public ModelPruner(Graph model, Settings settings) {
        this.model = model;
        this.settings = settings;
        this.pruner = new BlockPruner(model, outputConvs(model), settings.criterion());
        GraphAnalysis.Totals t = GraphAnalysis.totals(GraphAnalysis.perNode(model));
        this.params = t.params();
        this.flops = t.flops();
        if (pruner.groups().isEmpty()) {
            throw new IllegalArgumentException("prune: model " + model.name() + " has no channel group that may be"
                    + " pruned" + (pruner.skipped().isEmpty() ? " (no conv outputs)" : ": " + pruner.skipped()));
        }
    }

    /** The original model's parameters. */
    public long params() {
        return params;
    }

    /** The original model's FLOPs. */
    public long flops() {
        return flops;
    }

    /** One line per channel group with conv outputs: the groups that are pruned, and the ones left whole and why. */
    public List<String> explain() {
        List<String> out = new ArrayList<>();
        for (PrunableGroup g : pruner.groups()) {
            out.add("pruned: " + g.labels() + " (" + g.size() + " channels)");
        }
        for (String s : pruner.skipped()) {
            out.add("left whole: " + s);
        }
        return out;
    }

    /**
     * The model at {@code sparsity}.
     *
     * @throws IllegalArgumentException when the sparsity is not in [0, 1)
     */
    public Result prune(double sparsity) {
        if (!(sparsity >= 0 && sparsity < 1)) {
            throw new IllegalArgumentException("prune: sparsity " + sparsity + " (expected 0 <= s < 1)");
        }
        int[] drops = GroupDrops.of(pruner.groups(), sparsity, settings.allocation(), settings.roundTo());
        return result(sparsity, drops);
    }

    /**
     * The model at the least sparsity whose FLOPs are at most {@code fraction} of the original's.
     *
     * @throws IllegalArgumentException when the fraction is not in (0, 1], or when pruning every prunable group
     *                                  as far as it goes still leaves more FLOPs (the message says how few it reaches)
     */
    public Result toFlops(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("prune: target FLOPs fraction " + fraction + " (expected 0 < F <= 1)");
        }
        double target = fraction * flops;
        double lo = 0;
        double hi = Math.nextDown(1.0);
        Result best = prune(hi);
        if (best.flops() > target) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "prune: cannot reach %.3f of the FLOPs of %s;"
                    + " pruning as far as the groups allow leaves %.3f (%,d of %,d FLOPs)", fraction, model.name(),
                    (double) best.flops() / flops, best.flops(), flops));
        }
        Result whole = prune(lo);
        if (whole.flops() <= target) {
            return whole;
        }
        Map<String, Result> seen = new HashMap<>(); // many sparsities give the same channel counts
        for (int step = 0; step < BISECTION_STEPS; step++) {
            double mid = (lo + hi) / 2;
            int[] drops = GroupDrops.of(pruner.groups(), mid, settings.allocation(), settings.roundTo());
            Result r = seen.computeIfAbsent(Arrays.toString(drops), k -> result(mid, drops));
            if (r.flops() <= target) {
                hi = mid;
                best = r;
            } else {
                lo = mid;
            }
        }
        return best;
    }

    private Result result(double sparsity, int[] drops) {
        BlockPruner.Pruned p = pruner.prune(drops);
        GraphAnalysis.Totals t = GraphAnalysis.totals(GraphAnalysis.perNode(p.graph()));
        long all = 0;
        long gone = 0;
        List<PrunableGroup> groups = pruner.groups();
        for (int i = 0; i < drops.length; i++) {
            all += groups.get(i).size();
            gone += (long) groups.get(i).removed(drops[i]).length;
        }
        return new Result(p.graph(), sparsity, (double) gone / all, t.params(), t.flops(), p.keptChannels());
    }

    /** The convs whose outputs are the model's outputs: never pruned. */
    private static Set<String> outputConvs(Graph g) {
        Set<String> names = new HashSet<>();
        for (String out : g.outputs()) {
            Node n = g.producer(out);
            if (n != null && PrunableGroups.isConv(n)) {
                names.add(n.name());
            }
        }
        return names;
    }
}
