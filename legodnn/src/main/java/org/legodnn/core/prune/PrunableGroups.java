package org.legodnn.core.prune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.graph.ValueInfo;
import org.legodnn.graph.analysis.ChannelGroup;
import org.legodnn.graph.analysis.ChannelGroups;

/**
 * Decides which channel-dependency groups of a block may lose channels, and why the others may not, so that
 * every descendant keeps the block's input and output shapes and every layer stays well formed.
 *
 * <p>A group of {@link ChannelGroups} is pruned when it is not fixed (its channels reach neither the block's
 * input nor its output — the block graph's input and output are fixed there — nor an op whose channel
 * behaviour is not modelled), holds the output channels of a conv or transposed conv, and holds none of the
 * block's output convs. Depthwise convolutions are members whose channels pass through, so they shrink with
 * the group that feeds them (in = out = groups).
 *
 * <p>Grouped (not depthwise) convolutions: {@link ChannelGroups} marks their channels fixed. Here they are
 * looked at through a copy of the block in which each grouped conv is an ungrouped one of the same channel
 * counts; the groups that then touch it may be pruned if every one of its groups loses the same number of
 * channels ({@code int(C/groups × s)} each), which keeps the weight rectangular and the group count valid.
 * A channel group that covers only part of a grouped conv's channels, or that two grouped convs split
 * differently, is left whole. Grouped transposed convolutions are left whole (ChannelGroups fixes them).
 *
 * <p>Also left whole: groups with a layer called more than once (its weights shared by several nodes; the
 * calls could disagree) and groups whose layers read weights that are not constants.
 */
final class PrunableGroups {

    /** The groups to prune and, for groups with conv outputs that are left whole, why. */
    record Analysis(List<PrunableGroup> groups, List<String> skipped) {
    }

    private PrunableGroups() {
    }

    /** The prunable groups of {@code block}; {@code outputConvs} are node names of convs that are never pruned. */
    static Analysis find(Graph block, Set<String> outputConvs, PruningCriterion criterion) {
        Map<String, Integer> readers = new HashMap<>();
        for (Node n : block.nodes()) {
            for (String in : n.inputs()) {
                if (block.isInitializer(in)) {
                    readers.merge(in, 1, Integer::sum);
                }
            }
        }
        Map<String, Node> byName = new HashMap<>();
        for (Node n : block.nodes()) {
            byName.put(n.name(), n);
        }
        List<PrunableGroup> groups = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (ChannelGroup proxyGroup : ChannelGroups.of(ungrouped(block))) {
            List<ChannelGroup.Member> members = new ArrayList<>();
            boolean convOut = false;
            for (ChannelGroup.Member m : proxyGroup.members()) {
                Node real = byName.get(m.node().name());
                members.add(new ChannelGroup.Member(real, m.dim(), m.indices()));
                convOut |= m.dim() == ChannelGroup.Dim.OUT && isConv(real);
            }
            if (!convOut) {
                continue; // nothing to prune: only Linear outputs, or channels that pass through
            }
            int size = proxyGroup.size();
            String why = proxyGroup.fixed()
                    ? "its channels reach the block's input or output, or an op whose channels are not modelled"
                    : unsupported(block, members, size, outputConvs, readers);
            int[] sliceOf = new int[size];
            int slices = 1;
            if (why == null) {
                Slices s = slices(block, members, size);
                why = s.why();
                slices = s.count();
                sliceOf = s.sliceOf();
            }
            if (why != null) {
                skipped.add(members.stream().map(ChannelGroup.Member::toString).toList() + ": " + why);
                continue;
            }
            groups.add(new PrunableGroup(members, size, slices, sliceOf,
                    ChannelScores.of(block, members, size, criterion)));
        }
        return new Analysis(List.copyOf(groups), List.copyOf(skipped));
    }

    static boolean isConv(Node n) {
        return n.op() == Op.CONV || n.op() == Op.CONV_TRANSPOSE;
    }

    /** A conv with {@code groups > 1} that is not depthwise (depthwise: one input channel per filter, one filter per group). */
    static boolean isGroupedConv(Graph g, Node n) {
        if (n.op() != Op.CONV || n.attrs(Attrs.Conv.class).groups() <= 1) {
            return false;
        }
        int[] w = g.shape(n.input(1));
        return !(w[1] == 1 && w[0] == n.attrs(Attrs.Conv.class).groups());
    }

    /** Why the members of an unfixed group cannot be cut, or null when they can. */
    private static String unsupported(Graph block, List<ChannelGroup.Member> members, int size,
                                      Set<String> outputConvs, Map<String, Integer> readers) {
        for (ChannelGroup.Member m : members) {
            Node n = m.node();
            if (m.dim() == ChannelGroup.Dim.OUT && outputConvs.contains(n.name())) {
                return "it holds output conv " + m + ", which fixes the block's output channels";
            }
            if (m.indices().length % size != 0) {
                return "member " + m + " has " + m.indices().length + " indices for " + size + " channels";
            }
            boolean weighted = switch (n.op()) {
                case CONV, CONV_TRANSPOSE, GEMM, BATCH_NORM -> true;
                default -> n.op().isElementwiseBinary() && m.dim() == ChannelGroup.Dim.CHANNEL;
            };
            if (!weighted) {
                return "member " + m + " is a " + n.op().label() + ", which the pruner cannot cut";
            }
            int last = n.op() == Op.BATCH_NORM ? 4 : Math.min(2, n.inputs().size() - 1);
            int first = n.op().isElementwiseBinary() ? 0 : 1;
            for (int k = first; k <= last && k < n.inputs().size(); k++) {
                String in = n.input(k);
                if (in.isEmpty()) {
                    continue;
                }
                boolean constant = block.isInitializer(in);
                if (!constant && !n.op().isElementwiseBinary()) {
                    return "layer " + m + " reads weights that are not constants";
                }
                if (constant && readers.getOrDefault(in, 0) > 1) {
                    return "layer " + m + " is called more than once (weight " + in + " is shared)";
                }
            }
        }
        return null;
    }

    /** How a group's channels split into the equal slices of the grouped convs it touches. */
    private record Slices(int count, int[] sliceOf, String why) {
    }

    private static Slices slices(Graph block, List<ChannelGroup.Member> members, int size) {
        int[] sliceOf = null;
        int count = 1;
        for (ChannelGroup.Member m : members) {
            if (!isGroupedConv(block, m.node())) {
                continue;
            }
            int groups = m.node().attrs(Attrs.Conv.class).groups();
            String value = m.dim() == ChannelGroup.Dim.IN ? m.node().input(0) : m.node().output();
            int channels = block.shape(value)[1];
            if (m.indices().length != channels || size != channels) {
                return new Slices(1, new int[size], "it covers only part of grouped conv " + m);
            }
            int per = channels / groups;
            int[] s = new int[size];
            for (int k = 0; k < size; k++) {
                s[k] = m.indices()[k] / per;
            }
            if (sliceOf != null && !Arrays.equals(sliceOf, s)) {
                return new Slices(1, new int[size], "grouped convs split its channels differently (" + m + ")");
            }
            sliceOf = s;
            count = groups;
        }
        return new Slices(count, sliceOf == null ? new int[size] : sliceOf, null);
    }

    /**
     * {@code block} with every grouped (not depthwise) conv turned into an ungrouped one with the same channel
     * counts, so that {@link ChannelGroups} couples its channels like any conv's. Only the shapes matter: the
     * dense weights are declared as graph inputs and never allocated.
     */
    static Graph ungrouped(Graph block) {
        List<ValueInfo> inputs = new ArrayList<>(block.inputs());
        List<Node> nodes = new ArrayList<>();
        boolean any = false;
        for (Node n : block.nodes()) {
            if (!isGroupedConv(block, n)) {
                nodes.add(n);
                continue;
            }
            any = true;
            Attrs.Conv a = n.attrs(Attrs.Conv.class);
            int[] w = block.shape(n.input(1));
            String dense = n.name() + "#dense-weight";
            inputs.add(new ValueInfo(dense, new int[] {w[0], w[1] * a.groups(), w[2], w[3]}));
            List<String> ins = new ArrayList<>(n.inputs());
            ins.set(1, dense);
            Attrs.Conv ungrouped = new Attrs.Conv(a.strideH(), a.strideW(), a.padTop(), a.padLeft(), a.padBottom(),
                    a.padRight(), a.dilationH(), a.dilationW(), 1);
            nodes.add(Node.of(n.name(), n.op(), ungrouped, ins, n.outputs(), n.modulePath()));
        }
        if (!any) {
            return block;
        }
        return new Graph(block.name(), inputs, block.outputs(), new LinkedHashMap<>(block.initializers()), nodes);
    }
}
