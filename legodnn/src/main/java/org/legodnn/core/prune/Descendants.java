package org.legodnn.core.prune;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.legodnn.core.blocks.Block;
import org.legodnn.core.blocks.BlockGraph;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.analysis.GraphAnalysis;
import org.legodnn.graph.module.GraphModule;

/**
 * LegoDNN's second offline step: derives from every block a family of descendants by structured filter
 * pruning, one per sparsity, each a real smaller graph with its own trainable module. The original's
 * procedure, as issue 3 states it: at sparsity {@code s}, every conv of a block except its output convs loses
 * {@code int(C_out × s)} filters, those of smallest L1 norm ({@link PruningCriterion#BN_SCALE} optionally);
 * the BatchNorm channels and the following layers' input channels go with them, through the
 * channel-dependency groups. Convs coupled in one group (several convs feeding one add inside the block)
 * lose the same channels, chosen by the sum of their criteria. Channels tied to the block's input or output
 * are never cut, so block input and output shapes never change.
 *
 * <p>Where this differs from the original (NNI's {@code L1FilterPruner} and model speed-up): the original
 * prunes every conv by its own norms and lets speed-up reconcile coupled layers; here coupled convs are
 * ranked together, which is what keeps a residual add inside a block well formed. Grouped convolutions keep
 * their group count and lose {@code int(C/groups × s)} channels per group ({@link PrunableGroups}).
 */
public final class Descendants {

    /** The original's sparsities. */
    private static final double[] DEFAULT_SPARSITIES = {0.0, 0.2, 0.4, 0.6, 0.8};

    /** How many blocks {@link #of(Graph, Block, double[], PruningCriterion)} has pruned in this JVM. */
    private static final AtomicLong PRUNED_BLOCKS = new AtomicLong();

    private Descendants() {
    }

    /** How many blocks have been pruned into descendants in this JVM (for tests that count the work a path does). */
    public static long prunedBlockCount() {
        return PRUNED_BLOCKS.get();
    }

    /** A copy of the default sparsities {@code 0.0, 0.2, 0.4, 0.6, 0.8}. */
    public static double[] defaultSparsities() {
        return DEFAULT_SPARSITIES.clone();
    }

    /** Per block, its descendants at the default sparsities by L1 norm. */
    public static List<List<Descendant>> of(Graph model, List<Block> blocks) {
        return of(model, blocks, DEFAULT_SPARSITIES, PruningCriterion.L1_NORM);
    }

    /**
     * Per block (in the order of {@code blocks}), its descendants in the order of {@code sparsities}. Sparsity
     * 0.0 gives the original block as its own module.
     *
     * @throws IllegalArgumentException when a sparsity is not in [0, 1)
     */
    public static List<List<Descendant>> of(Graph model, List<Block> blocks, double[] sparsities,
                                            PruningCriterion criterion) {
        List<List<Descendant>> out = new ArrayList<>(blocks.size());
        for (Block b : blocks) {
            out.add(of(model, b, sparsities, criterion));
        }
        return List.copyOf(out);
    }

    /** The descendants of one block, in the order of {@code sparsities}. */
    public static List<Descendant> of(Graph model, Block block, double[] sparsities, PruningCriterion criterion) {
        for (double s : sparsities) {
            if (!(s >= 0 && s < 1)) {
                throw new IllegalArgumentException("Descendants: sparsity " + s + " (expected 0 <= s < 1)");
            }
        }
        PRUNED_BLOCKS.incrementAndGet();
        Graph original = BlockGraph.of(model, block);
        BlockPruner pruner = new BlockPruner(original, outputConvNames(block), criterion);
        List<Descendant> out = new ArrayList<>(sparsities.length);
        for (double s : sparsities) {
            BlockPruner.Pruned p = s == 0 ? new BlockPruner.Pruned(original, Map.of()) : pruner.prune(s);
            GraphAnalysis.Totals t = GraphAnalysis.totals(GraphAnalysis.perNode(p.graph()));
            out.add(new Descendant(block.index(), s, p.graph(), new GraphModule(p.graph()), t.params(), t.flops(),
                    p.keptChannels()));
        }
        return List.copyOf(out);
    }

    /**
     * What pruning does to a block, one line per channel group with conv outputs: the groups it cuts, and the
     * ones it leaves whole with the reason (channels at the block's input or output, an output conv, a shared
     * layer, an unsupported grouped conv).
     */
    public static List<String> explain(Graph model, Block block, PruningCriterion criterion) {
        BlockPruner pruner = new BlockPruner(BlockGraph.of(model, block), outputConvNames(block), criterion);
        List<String> out = new ArrayList<>();
        for (PrunableGroup g : pruner.groups()) {
            out.add("pruned: " + g.labels() + " (" + g.size() + " channels"
                    + (g.slices() > 1 ? ", " + g.slices() + " conv groups" : "") + ")");
        }
        for (String s : pruner.skipped()) {
            out.add("left whole: " + s);
        }
        return out;
    }

    /** Whether {@code block} has channels that pruning may cut (a channel group that {@link #explain} lists as pruned). */
    public static boolean isPrunable(Graph model, Block block) {
        return !new BlockPruner(BlockGraph.of(model, block), outputConvNames(block), PruningCriterion.L1_NORM)
                .groups().isEmpty();
    }

    private static Set<String> outputConvNames(Block block) {
        Set<String> names = new HashSet<>();
        for (Node n : block.outputConvs()) {
            names.add(n.name());
        }
        return names;
    }
}
