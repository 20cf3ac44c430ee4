package org.legodnn.graph.transform;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;

/**
 * Finds, after each convolution, the ops that a convolution kernel can apply to its output tile while it is
 * still in cache — a residual Add of the same shape, then a ReLU or a Clip (ReLU6) — and folds them into
 * the convolution, so that inference writes each block's output once. Run it after {@link FoldBatchNorm},
 * so that {@code conv → BatchNorm → add → relu} has become {@code conv → add → relu}.
 *
 * <p>The result is the graph's nodes in an order that an executor can run, as {@link FusedNode}s: a fused
 * convolution takes the place of the last op folded into it (by then its residual exists) and produces that
 * op's output value; the folded ops disappear. A value is folded only when the convolution (or the add) is
 * its only reader and it is no graph output, so nothing else can see the difference.
 */
public final class FuseConvEpilogue {

    private FuseConvEpilogue() {
    }

    /** The steps of {@code graph} with every foldable epilogue folded into its convolution. */
    public static List<FusedNode> apply(Graph graph) {
        Map<Integer, FusedNode> at = new HashMap<>();
        Set<Integer> skipped = new HashSet<>();
        for (Node conv : graph.nodes()) {
            if (conv.op() != Op.CONV || skipped.contains(conv.index())) {
                continue;
            }
            String value = conv.output();
            String residual = null;
            float lo = Float.NEGATIVE_INFINITY;
            float hi = Float.POSITIVE_INFINITY;
            int anchor = conv.index();
            List<Integer> folded = new ArrayList<>();
            Node next = soleReader(graph, value, skipped);
            if (next != null && next.op() == Op.ADD && next.inputs().size() == 2) {
                String other = next.input(0).equals(value) ? next.input(1) : next.input(0);
                if (!other.equals(value) && Arrays.equals(graph.shape(other), graph.shape(value))
                        && Arrays.equals(graph.shape(next.output()), graph.shape(value))) {
                    residual = other;
                    folded.add(next.index());
                    anchor = next.index();
                    value = next.output();
                    next = soleReader(graph, value, skipped);
                }
            }
            if (next != null && (next.op() == Op.RELU || next.op() == Op.CLIP)) {
                if (next.op() == Op.CLIP) {
                    Attrs.Clip c = next.attrs(Attrs.Clip.class);
                    lo = c.min();
                    hi = c.max();
                } else {
                    lo = 0f;
                }
                folded.add(next.index());
                anchor = next.index();
                value = next.output();
            }
            if (folded.isEmpty() || !(lo <= hi)) {
                continue;
            }
            Node fused = new Node(conv.index(), conv.name(), Op.CONV, conv.attrs(), conv.inputs(), List.of(value),
                    conv.modulePath());
            at.put(anchor, new FusedNode(fused, residual, lo, hi));
            skipped.add(conv.index());
            skipped.addAll(folded);
        }
        List<FusedNode> steps = new ArrayList<>(graph.nodes().size());
        for (Node n : graph.nodes()) {
            FusedNode f = at.get(n.index());
            if (f != null) {
                steps.add(f);
            } else if (!skipped.contains(n.index())) {
                steps.add(FusedNode.plain(n));
            }
        }
        return steps;
    }

    /**
     * The only node that reads {@code value}, when there is exactly one, it is not folded into another
     * convolution already, and {@code value} is no graph output.
     */
    private static Node soleReader(Graph graph, String value, Set<Integer> taken) {
        List<Node> readers = graph.consumers(value);
        if (readers.size() != 1 || graph.outputs().contains(value) || taken.contains(readers.get(0).index())) {
            return null;
        }
        return readers.get(0);
    }
}
