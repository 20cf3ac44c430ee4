package org.legodnn.graph.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.ValueInfo;

/**
 * Finds the channel-dependency groups of a graph (DepGraph, Fang et al. 2023, as Torch-Pruning implements
 * it), which structured pruning needs: every channel of every value (dimension 1) is a slot; ops that pass
 * channels through (BN, activations, pooling, residual adds, depthwise convs) join their input and output
 * slots, a concat joins each input's slots to its segment of the output, a flatten joins a channel to all
 * the features it becomes; convolutions and Linear layers do not join (that is where pruning can cut).
 * Slots that end up joined form one component per channel; components that touch the same layers in the
 * same way are one {@link ChannelGroup}.
 *
 * <p>Grouped (not depthwise) convolutions and ops whose channel behaviour is not modelled here (MatMul,
 * Transpose, Reshape other than flatten, softmax or reductions over channels) join nothing; their channels
 * are marked fixed, so that no group that crosses them is offered for pruning.
 */
public final class ChannelGroups {

    private final Graph graph;
    private final Map<String, Integer> offset = new HashMap<>();
    private final Map<String, Integer> channels = new HashMap<>();
    private int[] parent;
    private boolean[] fixed;

    private ChannelGroups(Graph graph) {
        this.graph = graph;
    }

    /** The groups of {@code graph}, ordered by the first layer they touch. */
    public static List<ChannelGroup> of(Graph graph) {
        return new ChannelGroups(graph).find();
    }

    private List<ChannelGroup> find() {
        int total = 0;
        List<String> values = new ArrayList<>();
        for (ValueInfo in : graph.inputs()) {
            values.add(in.name());
        }
        for (Node n : graph.nodes()) {
            values.add(n.output());
        }
        for (String v : values) {
            int[] s = graph.shape(v);
            int c = s.length >= 2 ? s[1] : 0;
            offset.put(v, total);
            channels.put(v, c);
            total += c;
        }
        parent = new int[total];
        fixed = new boolean[total];
        for (int i = 0; i < total; i++) {
            parent[i] = i;
        }
        for (ValueInfo in : graph.inputs()) {
            markFixed(in.name());
        }
        for (String out : graph.outputs()) {
            markFixed(out);
        }
        for (Node n : graph.nodes()) {
            join(n);
        }
        return collect();
    }

    private void join(Node n) {
        String y = n.output();
        String x = n.inputs().isEmpty() ? null : n.input(0);
        switch (n.op()) {
            case CONV -> {
                Attrs.Conv a = n.attrs(Attrs.Conv.class);
                if (isDepthwise(n)) {
                    joinSame(x, y);
                } else if (a.groups() > 1) {
                    markFixed(x);
                    markFixed(y);
                }
            }
            case CONV_TRANSPOSE -> {
                if (n.attrs(Attrs.ConvTranspose.class).groups() > 1) {
                    markFixed(x);
                    markFixed(y);
                }
            }
            case GEMM -> {
                Attrs.Gemm a = n.attrs(Attrs.Gemm.class);
                if (a.transA()) {
                    markFixed(x);
                }
            }
            case BATCH_NORM, RELU, CLIP, LEAKY_RELU, SIGMOID, TANH, EXP, HARD_SIGMOID, HARD_SWISH, IDENTITY, MAX_POOL,
                 AVG_POOL, GLOBAL_AVG_POOL, RESIZE -> joinSame(x, y);
            case QUANTIZE_DEQUANTIZE -> {
                if (n.attrs(Attrs.Quantize.class).perChannel()) {
                    // One scale per channel: pruning would have to cut the scales too.
                    markFixed(x);
                    markFixed(y);
                } else {
                    joinSame(x, y);
                }
            }
            case SLICE -> {
                // Channel groups of a head (box, objectness, classes) mean something: slicing them fixes both sides.
                if (n.attrs(Attrs.Slice.class).axis() == 1) {
                    markFixed(x);
                    markFixed(y);
                } else {
                    joinSame(x, y);
                }
            }
            case ADD, SUB, MUL, DIV -> {
                for (String in : n.inputs()) {
                    if (channels.getOrDefault(in, 0).equals(channels.get(y)) && sameRank(in, y)) {
                        joinSame(in, y);
                    }
                }
            }
            case CONCAT -> {
                if (n.attrs(Attrs.Concat.class).axis() == 1) {
                    int at = 0;
                    for (String in : n.inputs()) {
                        for (int c = 0; c < channels.getOrDefault(in, 0); c++) {
                            union(slot(in, c), slot(y, at + c));
                        }
                        at += channels.getOrDefault(in, 0);
                    }
                } else {
                    for (String in : n.inputs()) {
                        joinSame(in, y);
                    }
                }
            }
            case FLATTEN, RESHAPE -> {
                int[] s = graph.shape(x);
                int[] o = graph.shape(y);
                boolean flatten = s.length >= 2 && o.length == 2 && o[0] == s[0] && channels.get(x) > 0
                        && o[1] % channels.get(x) == 0;
                if (flatten) {
                    int per = o[1] / channels.get(x);
                    for (int c = 0; c < channels.get(x); c++) {
                        for (int k = 0; k < per; k++) {
                            union(slot(x, c), slot(y, c * per + k));
                        }
                    }
                } else {
                    markFixed(x);
                    markFixed(y);
                }
            }
            case PAD -> {
                int[] pads = n.attrs(Attrs.Pad.class).pads();
                int rank = pads.length / 2;
                if (rank >= 2 && pads[1] == 0 && pads[1 + rank] == 0) {
                    joinSame(x, y);
                } else {
                    markFixed(x);
                    markFixed(y);
                }
            }
            case REDUCE_MEAN -> {
                Attrs.ReduceMean a = n.attrs(Attrs.ReduceMean.class);
                boolean keepsChannels = a.axes().length > 0 && java.util.Arrays.stream(a.axes()).noneMatch(d -> d <= 1)
                        && a.keepDims();
                if (keepsChannels) {
                    joinSame(x, y);
                } else {
                    markFixed(x);
                    markFixed(y);
                }
            }
            case SOFTMAX -> {
                if (n.attrs(Attrs.Softmax.class).axis() >= 2 && !n.attrs(Attrs.Softmax.class).flattenTail()) {
                    joinSame(x, y);
                } else {
                    markFixed(x);
                    markFixed(y);
                }
            }
            case MATMUL, TRANSPOSE -> {
                for (String in : n.inputs()) {
                    markFixed(in);
                }
                markFixed(y);
            }
        }
    }

    private boolean isDepthwise(Node n) {
        int groups = n.attrs(Attrs.Conv.class).groups();
        int[] w = graph.shape(n.input(1));
        return groups > 1 && w[1] == 1 && w[0] == groups;
    }

    private boolean sameRank(String a, String b) {
        return graph.shape(a).length == graph.shape(b).length;
    }

    private int slot(String value, int c) {
        return offset.get(value) + c;
    }

    private void joinSame(String a, String b) {
        Integer ca = channels.get(a);
        Integer cb = channels.get(b);
        if (ca == null || cb == null || !ca.equals(cb)) {
            if (a != null && channels.containsKey(a)) {
                markFixed(a);
            }
            if (channels.containsKey(b)) {
                markFixed(b);
            }
            return;
        }
        for (int c = 0; c < ca; c++) {
            union(slot(a, c), slot(b, c));
        }
    }

    private void markFixed(String value) {
        Integer c = channels.get(value);
        if (c == null) {
            return;
        }
        for (int k = 0; k < c; k++) {
            fixed[slot(value, k)] = true;
        }
    }

    private int root(int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private void union(int a, int b) {
        int ra = root(a);
        int rb = root(b);
        if (ra != rb) {
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }

    // ---- grouping -----------------------------------------------------------------------------------------

    /** A layer dimension that a component touches. */
    private record Key(int node, ChannelGroup.Dim dim) {
    }

    private List<ChannelGroup> collect() {
        boolean[] fixedRoot = new boolean[parent.length];
        for (int i = 0; i < parent.length; i++) {
            if (fixed[i]) {
                fixedRoot[root(i)] = true;
            }
        }
        // per component: which layer dimensions it touches, at which indices
        Map<Integer, Map<Key, List<Integer>>> byComponent = new TreeMap<>();
        for (Node n : graph.nodes()) {
            switch (n.op()) {
                case CONV -> {
                    if (isDepthwise(n)) {
                        touch(byComponent, n, ChannelGroup.Dim.CHANNEL, n.output());
                    } else {
                        touch(byComponent, n, ChannelGroup.Dim.OUT, n.output());
                        touch(byComponent, n, ChannelGroup.Dim.IN, n.input(0));
                    }
                }
                case CONV_TRANSPOSE, GEMM -> {
                    touch(byComponent, n, ChannelGroup.Dim.OUT, n.output());
                    touch(byComponent, n, ChannelGroup.Dim.IN, n.input(0));
                }
                case BATCH_NORM -> touch(byComponent, n, ChannelGroup.Dim.CHANNEL, n.output());
                default -> {
                    // per-channel constants of elementwise ops (a learned scale, say) couple like BN
                    if (n.op().isElementwiseBinary() && hasChannelConstant(n)) {
                        touch(byComponent, n, ChannelGroup.Dim.CHANNEL, n.output());
                    }
                }
            }
        }
        // components that touch the same layer dimensions the same number of times are one group
        Map<String, List<Integer>> bySignature = new LinkedHashMap<>();
        for (Map.Entry<Integer, Map<Key, List<Integer>>> e : byComponent.entrySet()) {
            StringBuilder sig = new StringBuilder();
            for (Map.Entry<Key, List<Integer>> t : e.getValue().entrySet()) {
                sig.append(t.getKey().node()).append(t.getKey().dim()).append('x').append(t.getValue().size()).append(',');
            }
            bySignature.computeIfAbsent(sig.toString(), k -> new ArrayList<>()).add(e.getKey());
        }
        List<ChannelGroup> groups = new ArrayList<>();
        for (List<Integer> components : bySignature.values()) {
            Map<Key, List<Integer>> first = byComponent.get(components.get(0));
            List<ChannelGroup.Member> members = new ArrayList<>();
            for (Key key : first.keySet()) {
                List<Integer> idx = new ArrayList<>();
                for (int comp : components) {
                    idx.addAll(byComponent.get(comp).get(key));
                }
                members.add(new ChannelGroup.Member(graph.node(key.node()), key.dim(),
                        idx.stream().mapToInt(Integer::intValue).toArray()));
            }
            boolean anyFixed = false;
            for (int comp : components) {
                anyFixed |= fixedRoot[comp];
            }
            groups.add(new ChannelGroup(List.copyOf(members), components.size(), anyFixed));
        }
        groups.sort((a, b) -> Integer.compare(a.members().get(0).node().index(), b.members().get(0).node().index()));
        return groups;
    }

    /** Whether a binary op reads a constant with more than one value along the channel dimension. */
    private boolean hasChannelConstant(Node n) {
        int[] o = graph.shape(n.output());
        for (String in : n.inputs()) {
            if (graph.isInitializer(in) && o.length >= 2) {
                int[] s = graph.shape(in);
                int axis = s.length - (o.length - 1);
                if (axis >= 0 && axis < s.length && s[axis] > 1) {
                    return true;
                }
            }
        }
        return false;
    }

    private void touch(Map<Integer, Map<Key, List<Integer>>> byComponent, Node n, ChannelGroup.Dim dim, String value) {
        Integer c = channels.get(value);
        if (c == null) {
            return;
        }
        Key key = new Key(n.index(), dim);
        for (int k = 0; k < c; k++) {
            byComponent.computeIfAbsent(root(slot(value, k)), r -> new LinkedHashMap<>())
                    .computeIfAbsent(key, x -> new ArrayList<>()).add(k);
        }
    }
}
