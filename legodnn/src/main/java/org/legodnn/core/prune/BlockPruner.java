package org.legodnn.core.prune;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.analysis.ChannelGroup;

/**
 * Prunes one block graph at any sparsity: it finds the block's prunable channel groups and scores their
 * channels once, and then, per sparsity, removes the lowest-scored {@code int(C × s)} channels of every group
 * from all the layers the group couples (the producing convs' filters, the BatchNorm channels, the depthwise
 * convs they pass through, the consumers' input channels) — see {@link PrunableGroups} for which groups
 * qualify and {@link GraphSlicer} for the cutting.
 */
final class BlockPruner {

    /** A pruned block graph and, per conv whose output channels were cut, the channels it kept. */
    record Pruned(Graph graph, Map<String, int[]> keptChannels) {
    }

    private final Graph block;
    private final PrunableGroups.Analysis analysis;

    /** Analyses {@code block}; the convs named in {@code outputConvs} are never pruned. */
    BlockPruner(Graph block, Set<String> outputConvs, PruningCriterion criterion) {
        this.block = block;
        this.analysis = PrunableGroups.find(block, outputConvs, criterion);
    }

    List<PrunableGroup> groups() {
        return analysis.groups();
    }

    List<String> skipped() {
        return analysis.skipped();
    }

    /** The block at {@code sparsity}: the block graph itself when no channel goes. */
    Pruned prune(double sparsity) {
        List<PrunableGroup> groups = analysis.groups();
        int[] drops = new int[groups.size()];
        for (int i = 0; i < drops.length; i++) {
            drops[i] = groups.get(i).dropAt(sparsity);
        }
        return prune(drops);
    }

    /**
     * The block with {@code drops[i]} channels per slice removed from group {@code i} of {@link #groups()} (the
     * lowest scored, see {@link PrunableGroup#removed(int)}): the block graph itself when no channel goes.
     */
    Pruned prune(int[] drops) {
        List<PrunableGroup> groups = analysis.groups();
        if (drops.length != groups.size()) {
            throw new IllegalArgumentException("BlockPruner: " + drops.length + " drop counts for " + groups.size()
                    + " groups of " + block.name());
        }
        GraphSlicer.Masks masks = new GraphSlicer.Masks();
        for (int i = 0; i < drops.length; i++) {
            PrunableGroup g = groups.get(i);
            int[] removed = g.removed(drops[i]);
            for (ChannelGroup.Member m : g.members()) {
                int per = m.indices().length / g.size();
                int length = length(m);
                for (int k : removed) {
                    for (int j = 0; j < per; j++) {
                        masks.remove(m.node(), m.dim(), m.indices()[k * per + j], length);
                    }
                }
            }
        }
        if (masks.isEmpty()) {
            return new Pruned(block, Map.of());
        }
        Map<String, int[]> kept = new LinkedHashMap<>();
        for (Node n : block.nodes()) {
            if (!PrunableGroups.isConv(n)) {
                continue;
            }
            boolean[] m = masks.get(n, ChannelGroup.Dim.OUT);
            if (m == null) {
                m = masks.get(n, ChannelGroup.Dim.CHANNEL);
            }
            if (Slicing.any(m)) {
                kept.put(n.modulePath().isEmpty() ? n.name() : n.modulePath(), Slicing.kept(m));
            }
        }
        return new Pruned(GraphSlicer.apply(block, masks), kept);
    }

    /** The number of channels of the dimension a member indexes. */
    private int length(ChannelGroup.Member m) {
        String value = m.dim() == ChannelGroup.Dim.IN ? m.node().input(0) : m.node().output();
        return block.shape(value)[1];
    }
}
