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
 * Folds the cheap ops that follow a heavy one into its epilogue, so that inference writes each value once
 * while it is still in cache: after a convolution, a residual Add of the same shape and then a ReLU or a Clip
 * (ReLU6); after a same-shape Add, a Gemm or an inference BatchNorm, a ReLU or a Clip. Run it after
 * {@link FoldBatchNorm}, so that {@code conv → BatchNorm → add → relu} has become {@code conv → add → relu}.
 * Every device runs the result: the rewrite is made once, here, and a device's kernels apply the epilogue.
 *
 * <p>The result is the graph's nodes in an order that an executor can run, as {@link FusedNode}s: a fused node
 * takes the place of the last op folded into it (by then its residual exists) and produces that op's output
 * value; the folded ops disappear. A value is folded only when the node is its only reader and it is no graph
 * output, so nothing else can see the difference.
 */
public final class FuseEpilogues {

    private FuseEpilogues() {
    }

    /** The steps of {@code graph} with every foldable epilogue folded into the node before it. */
    public static List<FusedNode> apply(Graph graph) {
        Map<Integer, FusedNode> at = new HashMap<>();
        Set<Integer> taken = new HashSet<>();
        for (Node head : graph.nodes()) {
            if (!carriesEpilogue(graph, head) || taken.contains(head.index())) {
                continue;
            }
            String value = head.output();
            String residual = null;
            float lo = Float.NEGATIVE_INFINITY;
            float hi = Float.POSITIVE_INFINITY;
            int anchor = head.index();
            List<Integer> folded = new ArrayList<>();
            Node next = soleReader(graph, value, taken);
            if (head.op() == Op.CONV && next != null && sameShapeAdd(graph, next)) {
                String other = next.input(0).equals(value) ? next.input(1) : next.input(0);
                if (!other.equals(value) && Arrays.equals(graph.shape(other), graph.shape(value))) {
                    residual = other;
                    folded.add(next.index());
                    anchor = next.index();
                    value = next.output();
                    next = soleReader(graph, value, taken);
                }
            }
            if (next != null && isClamp(next)) {
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
            Node fused = new Node(head.index(), head.name(), head.op(), head.attrs(), head.inputs(), List.of(value),
                    head.modulePath());
            at.put(anchor, new FusedNode(fused, residual, lo, hi));
            taken.add(head.index());
            taken.addAll(folded);
        }
        List<FusedNode> steps = new ArrayList<>(graph.nodes().size());
        for (Node n : graph.nodes()) {
            FusedNode f = at.get(n.index());
            if (f != null) {
                steps.add(f);
            } else if (!taken.contains(n.index())) {
                steps.add(FusedNode.plain(n));
            }
        }
        return steps;
    }

    /** Whether {@code n} is a node whose kernels apply an epilogue on every device. */
    private static boolean carriesEpilogue(Graph graph, Node n) {
        return switch (n.op()) {
            case CONV, GEMM, BATCH_NORM -> true;
            case ADD -> sameShapeAdd(graph, n);
            default -> false;
        };
    }

    /** An Add of two values of its own output's shape (no broadcasting). */
    private static boolean sameShapeAdd(Graph graph, Node n) {
        return n.op() == Op.ADD && n.inputs().size() == 2
                && Arrays.equals(graph.shape(n.input(0)), graph.shape(n.output()))
                && Arrays.equals(graph.shape(n.input(1)), graph.shape(n.output()));
    }

    /** A ReLU or a Clip (whose bounds the importer has made attributes). */
    private static boolean isClamp(Node n) {
        return n.op() == Op.RELU || n.op() == Op.CLIP;
    }

    /**
     * The only node that reads {@code value}, when there is exactly one, it is not folded into another node
     * already, and {@code value} is no graph output.
     */
    private static Node soleReader(Graph graph, String value, Set<Integer> taken) {
        List<Node> readers = graph.consumers(value);
        if (readers.size() != 1 || graph.outputs().contains(value) || taken.contains(readers.get(0).index())) {
            return null;
        }
        return readers.get(0);
    }
}
