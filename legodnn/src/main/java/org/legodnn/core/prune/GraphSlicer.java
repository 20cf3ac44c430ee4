package org.legodnn.core.prune;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.graph.ShapeInference;
import org.legodnn.graph.ValueInfo;
import org.legodnn.graph.analysis.ChannelGroup.Dim;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * Rebuilds a block graph with channels removed: every weight that a removed channel indexes is copied into a
 * smaller tensor, and the settings that name a channel count (a depthwise conv's groups, a resize to fixed
 * sizes) follow, so that the result is a real, smaller graph. Which channels go is decided elsewhere
 * ({@link BlockPruner}); this class only carries it out.
 */
final class GraphSlicer {

    /** Per node name, per dimension of its parameters, the channels to remove (true = removed). */
    static final class Masks {
        private final Map<String, EnumMap<Dim, boolean[]>> byNode = new HashMap<>();

        /** Marks channel {@code index} of {@code node}'s dimension {@code dim}, which has {@code length} channels. */
        void remove(Node node, Dim dim, int index, int length) {
            boolean[] m = byNode.computeIfAbsent(node.name(), k -> new EnumMap<>(Dim.class))
                    .computeIfAbsent(dim, k -> new boolean[length]);
            m[index] = true;
        }

        /** The mask of {@code node}'s dimension {@code dim}, or null when nothing of it is removed. */
        boolean[] get(Node node, Dim dim) {
            EnumMap<Dim, boolean[]> m = byNode.get(node.name());
            return m == null ? null : m.get(dim);
        }

        boolean isEmpty() {
            return byNode.isEmpty();
        }
    }

    private GraphSlicer() {
    }

    /** {@code g} with the channels of {@code masks} removed; its input and output shapes must not change. */
    static Graph apply(Graph g, Masks masks) {
        Map<String, Tensor> weights = new LinkedHashMap<>();
        Map<String, int[]> shapes = new HashMap<>();
        for (ValueInfo in : g.inputs()) {
            shapes.put(in.name(), g.shape(in.name()));
        }
        List<Node> nodes = new ArrayList<>();
        for (Node n : g.nodes()) {
            Map<Integer, Tensor> sliced = slice(g, n, masks);
            List<int[]> inShapes = new ArrayList<>();
            for (int k = 0; k < n.inputs().size(); k++) {
                String in = n.input(k);
                if (g.isInitializer(in)) {
                    Tensor t = sliced.getOrDefault(k, g.initializer(in));
                    Tensor before = weights.putIfAbsent(in, t);
                    if (before != null && before != t) {
                        throw new IllegalStateException("prune: weight " + in + " is shared and would be cut in two ways");
                    }
                    shapes.put(in, t.shape());
                }
                inShapes.add(in.isEmpty() ? null : shapes.get(in));
            }
            Node out = Node.of(n.name(), n.op(), attrs(g, n, masks, inShapes), n.inputs(), n.outputs(), n.modulePath());
            shapes.put(n.output(), ShapeInference.outputShape(out, inShapes));
            nodes.add(out);
        }
        for (Map.Entry<String, Tensor> e : g.initializers().entrySet()) {
            weights.putIfAbsent(e.getKey(), e.getValue()); // read by no node: kept as it is
        }
        Graph pruned = new Graph(g.name(), g.inputs(), g.outputs(), weights, nodes);
        for (String o : g.outputs()) {
            if (!java.util.Arrays.equals(g.shape(o), pruned.shape(o))) {
                throw new IllegalStateException("prune: " + g.name() + " output " + o + " changed from "
                        + Shapes.format(g.shape(o)) + " to " + Shapes.format(pruned.shape(o)));
            }
        }
        return pruned;
    }

    /** The new tensors of {@code n}'s constant inputs, by input position; absent where nothing changes. */
    private static Map<Integer, Tensor> slice(Graph g, Node n, Masks masks) {
        Map<Integer, Tensor> out = new HashMap<>();
        switch (n.op()) {
            case CONV -> {
                Tensor w = g.initializer(n.input(1));
                Attrs.Conv a = n.attrs(Attrs.Conv.class);
                boolean[] rows;
                if (a.groups() > 1 && !PrunableGroups.isGroupedConv(g, n)) {
                    rows = masks.get(n, Dim.CHANNEL); // depthwise: channels pass through
                    put(out, 1, w, Slicing.remove(w, 0, rows));
                } else {
                    rows = masks.get(n, Dim.OUT);
                    Tensor v = Slicing.remove(w, 0, rows);
                    v = a.groups() == 1 ? Slicing.remove(v, 1, masks.get(n, Dim.IN))
                            : Slicing.removeGroupedInputs(v, a.groups(), masks.get(n, Dim.IN));
                    put(out, 1, w, v);
                }
                sliceBias(g, n, 2, rows, out);
            }
            case CONV_TRANSPOSE -> {
                Tensor w = g.initializer(n.input(1));
                boolean[] cols = masks.get(n, Dim.OUT);
                put(out, 1, w, Slicing.remove(Slicing.remove(w, 0, masks.get(n, Dim.IN)), 1, cols));
                sliceBias(g, n, 2, cols, out);
            }
            case GEMM -> {
                boolean transB = n.attrs(Attrs.Gemm.class).transB();
                boolean[] outMask = masks.get(n, Dim.OUT);
                boolean[] inMask = masks.get(n, Dim.IN);
                if (g.isInitializer(n.input(1))) {
                    Tensor w = g.initializer(n.input(1));
                    put(out, 1, w, Slicing.remove(Slicing.remove(w, transB ? 0 : 1, outMask), transB ? 1 : 0, inMask));
                }
                String c = n.input(2);
                if (c != null && g.isInitializer(c) && Slicing.any(outMask)) {
                    Tensor b = g.initializer(c);
                    if (b.rank() >= 1 && b.dim(b.rank() - 1) == outMask.length) {
                        put(out, 2, b, Slicing.remove(b, b.rank() - 1, outMask));
                    }
                }
            }
            case BATCH_NORM -> {
                boolean[] m = masks.get(n, Dim.CHANNEL);
                for (int k = 1; k <= 4 && k < n.inputs().size(); k++) {
                    sliceBias(g, n, k, m, out);
                }
            }
            default -> {
                boolean[] m = masks.get(n, Dim.CHANNEL);
                if (n.op().isElementwiseBinary() && Slicing.any(m)) {
                    int rank = g.shape(n.output()).length;
                    for (int k = 0; k < n.inputs().size(); k++) {
                        if (!g.isInitializer(n.input(k))) {
                            continue;
                        }
                        Tensor t = g.initializer(n.input(k));
                        int axis = t.rank() - (rank - 1);
                        if (axis >= 0 && axis < t.rank() && t.dim(axis) == m.length) {
                            put(out, k, t, Slicing.remove(t, axis, m));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Slices the 1-D per-channel constant at input {@code k} (a bias, a BN parameter) by {@code mask}. */
    private static void sliceBias(Graph g, Node n, int k, boolean[] mask, Map<Integer, Tensor> out) {
        String in = n.input(k);
        if (in != null && !in.isEmpty() && g.isInitializer(in)) {
            Tensor b = g.initializer(in);
            put(out, k, b, Slicing.remove(b, 0, mask));
        }
    }

    private static void put(Map<Integer, Tensor> out, int k, Tensor before, Tensor after) {
        if (after != before) {
            out.put(k, after);
        }
    }

    /** {@code n}'s settings for its new input shapes: a depthwise conv's groups, a resize's channel size. */
    private static Attrs attrs(Graph g, Node n, Masks masks, List<int[]> inShapes) {
        Attrs attrs = n.attrs();
        if (n.op() == Op.CONV && attrs instanceof Attrs.Conv a && a.groups() > 1 && !PrunableGroups.isGroupedConv(g, n)
                && Slicing.any(masks.get(n, Dim.CHANNEL))) {
            int channels = inShapes.get(0)[1];
            return new Attrs.Conv(a.strideH(), a.strideW(), a.padTop(), a.padLeft(), a.padBottom(), a.padRight(),
                    a.dilationH(), a.dilationW(), channels);
        }
        if (n.op() == Op.RESIZE && attrs instanceof Attrs.Resize r && r.sizes() != null && r.sizes().length >= 2
                && inShapes.get(0).length == r.sizes().length && r.sizes()[1] != inShapes.get(0)[1]) {
            int[] sizes = r.sizes().clone();
            sizes[1] = inShapes.get(0)[1];
            return new Attrs.Resize(r.mode(), r.scales(), sizes, r.coordinates(), r.nearest());
        }
        return attrs;
    }
}
