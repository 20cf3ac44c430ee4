package org.legodnn.graph.analysis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.graph.ValueInfo;
import org.legodnn.tensor.Shapes;

/**
 * Per-node and per-subgraph costs of a graph at its inferred shapes: parameters, weight bytes, FLOPs,
 * activation bytes, and the peak activation memory of a forward pass that runs the nodes in topological
 * order and frees each value after its last reader (what the {@link org.legodnn.graph.exec.Interpreter}
 * does). Block extraction and the LegoDNN profiles build on these numbers.
 */
public final class GraphAnalysis {

    private GraphAnalysis() {
    }

    /** One entry per node, in topological order. A weight shared by several nodes counts at its first reader. */
    public static List<NodeStats> perNode(Graph g) {
        List<NodeStats> out = new ArrayList<>();
        Set<String> counted = new HashSet<>();
        for (Node n : g.nodes()) {
            long params = 0;
            long bytes = 0;
            for (int k = 0; k < n.inputs().size(); k++) {
                String in = n.input(k);
                if (!g.isInitializer(in) || !counted.add(in)) {
                    continue;
                }
                long size = g.initializer(in).size();
                bytes += 4 * size;
                boolean runningStat = n.op() == Op.BATCH_NORM && k >= 3;
                if (!runningStat) {
                    params += size;
                }
            }
            int[] shape = g.shape(n.output());
            out.add(new NodeStats(n, shape, params, bytes, Flops.of(g, n), 4 * Shapes.size(shape)));
        }
        return out;
    }

    /** Sums of params, weight bytes and FLOPs over some nodes. */
    public record Totals(long params, long weightBytes, long flops) {
    }

    public static Totals totals(Collection<NodeStats> stats) {
        long p = 0;
        long b = 0;
        long f = 0;
        for (NodeStats s : stats) {
            p += s.params();
            b += s.weightBytes();
            f += s.flops();
        }
        return new Totals(p, b, f);
    }

    /** Totals over the nodes of {@code g} whose indices are in {@code nodes} (a block, say). */
    public static Totals totals(Graph g, Collection<Node> nodes) {
        Set<Integer> keep = new HashSet<>();
        for (Node n : nodes) {
            keep.add(n.index());
        }
        List<NodeStats> picked = new ArrayList<>();
        for (NodeStats s : perNode(g)) {
            if (keep.contains(s.node().index())) {
                picked.add(s);
            }
        }
        return totals(picked);
    }

    /**
     * The largest number of activation bytes alive at once while the nodes run in topological order: while a
     * node runs, its inputs that are still alive and its output are alive; a value dies after its last
     * reader; graph inputs live until their last reader, graph outputs to the end. Weights are not counted.
     */
    public static long peakActivationBytes(Graph g) {
        Map<String, Integer> lastUse = new HashMap<>();
        for (Node n : g.nodes()) {
            for (String in : n.inputs()) {
                lastUse.put(in, n.index());
            }
        }
        for (String out : g.outputs()) {
            lastUse.put(out, Integer.MAX_VALUE);
        }
        long live = 0;
        Map<String, Long> alive = new HashMap<>();
        for (ValueInfo in : g.inputs()) {
            long bytes = 4 * Shapes.size(g.shape(in.name()));
            alive.put(in.name(), bytes);
            live += bytes;
        }
        long peak = live;
        for (Node n : g.nodes()) {
            long bytes = 4 * Shapes.size(g.shape(n.output()));
            alive.put(n.output(), bytes);
            live += bytes;
            peak = Math.max(peak, live);
            for (String in : n.inputs()) {
                Long b = alive.get(in);
                if (b != null && lastUse.get(in) == n.index()) {
                    alive.remove(in);
                    live -= b;
                }
            }
            if (!lastUse.containsKey(n.output())) {
                alive.remove(n.output());
                live -= bytes;
            }
        }
        return peak;
    }
}
