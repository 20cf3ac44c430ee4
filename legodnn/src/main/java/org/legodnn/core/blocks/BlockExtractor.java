package org.legodnn.core.blocks;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.graph.analysis.GraphAnalysis;
import org.legodnn.graph.analysis.NodeStats;

/**
 * Cuts a model graph into LegoDNN blocks automatically, without data, so that any CNN — traced from the zoo
 * or imported from ONNX — can be scaled block by block; everything outside the blocks is the fixed frame.
 *
 * <p>The algorithm is the original LegoDNN's block detection, as issue 3 states it:
 * <ul>
 *   <li>Compressible layers are convolutions and transposed convolutions. A block holds from 2 to
 *       {@code max(floor(total × maxRatio), 2)} of them ({@code maxRatio} 0.125 by default, as the original's
 *       demo). A layer called more than once (its weights read by several nodes) counts once.</li>
 *   <li>A candidate is a run of consecutive nodes in the graph's topological numbering, grown one node at a
 *       time from a start node (the original's blocks are runs of consecutive serial numbers too). It is valid
 *       when (1) exactly one value enters it and exactly one leaves it; (2) it holds at least one prunable
 *       conv once its output convs — the first conv met on every backward path from the node that computes
 *       the leaving value — are set aside; (3) every layer with weights that is called more than once has all
 *       its calls inside or all outside; (4) its input and output can be captured.</li>
 *   <li>From each start the shortest valid candidate with the highest conv count not above the maximum is
 *       kept; the next search starts right after it. When no candidate from a start is valid, the start moves
 *       on by one node.</li>
 * </ul>
 *
 * <p>Decisions where the rules leave room, each checked against the original's eight CIFAR ResNet-18 blocks
 * ({@code server-teacher-model-metrics.yaml}), which this class reproduces exactly:
 * <ul>
 *   <li>Values, not nodes, are counted in (1); weights and other initializers do not count. The entering
 *       value may also be read outside the block — a projection shortcut reads the input of its residual
 *       unit — exactly as in the original, where only the nodes of the block are inspected. This is why
 *       ResNet-18's block 2 is {@code layer2.0.conv1, bn1, relu, conv2} (221,440 parameters: one BN) and its
 *       {@code bn2}, shortcut and add stay in the frame: a candidate that began before {@code conv1} would hand
 *       out two values (its end and the shortcut's input), one that began at the add would take in two.</li>
 *   <li>"Shortest" is meant literally: a block ends at the node whose output leaves it, so a residual unit's
 *       closing ReLU opens the next block (it has no parameters or FLOPs). Block 0 of ResNet-18 starts at the
 *       stem's {@code bn1}: from the stem conv no candidate with at most 2 convs has a single output, so the
 *       start moves on by one node and the stem's BN lands in block 0 (74,112 = 73,984 + 128 parameters).</li>
 *   <li>With the maximum at 2, "highest count, then shortest" and the original's "first candidate with at
 *       least the minimum" pick the same block; for larger maxima this class follows the issue (the most
 *       convs the limit allows, then the shortest). The original restarts at the found block's end node as
 *       a placeholder whose output is the next block's input, which is the same as starting right after it.</li>
 *   <li>Rule (3) applies to layers with weights (conv, transposed conv, BN, Linear/MatMul with an
 *       initializer), as the original's {@code PARAM_REUSE_LAYERS}: a weightless module called twice (a shared
 *       ReLU) may be split, since a block is a subgraph and the op has nothing to prune or share.</li>
 *   <li>Rule (4): the original could only train a block whose input and output a PyTorch hook on some module
 *       could catch. The interpreter can capture any value, so here the rule only asks that both values are
 *       computed values (not constants) with inferred shapes.</li>
 *   <li>Linear layers are not compressible here, as the issue says (the original also counted them); a conv
 *       reached backwards only through the block's input is not an output conv (the input is fixed anyway).</li>
 * </ul>
 */
public final class BlockExtractor {

    /** The original demo's {@code max_ratio}. */
    public static final double DEFAULT_MAX_RATIO = 0.125;

    /** Fewest compressible layers in a block: one to keep the output channels, one to prune. */
    public static final int MIN_CONVS = 2;

    /** How many searches {@link #extract} has run in this JVM: lets tests prove that a path does not search. */
    private static final AtomicLong SEARCHES = new AtomicLong();

    private final Graph graph;
    private final int maxConvs;
    private final Set<String> graphOutputs;
    /** The lowest and highest index of a node that shares weights with node i (i itself when none). */
    private final int[] reuseLo;
    private final int[] reuseHi;
    private final List<NodeStats> stats;

    private BlockExtractor(Graph graph, int maxConvs) {
        this.graph = graph;
        this.maxConvs = maxConvs;
        this.graphOutputs = new HashSet<>(graph.outputs());
        int n = graph.nodes().size();
        reuseLo = new int[n];
        reuseHi = new int[n];
        Map<String, List<Integer>> readers = new HashMap<>();
        for (Node node : graph.nodes()) {
            reuseLo[node.index()] = node.index();
            reuseHi[node.index()] = node.index();
            if (hasWeights(node)) {
                for (String in : node.inputs()) {
                    if (graph.isInitializer(in)) {
                        readers.computeIfAbsent(in, k -> new ArrayList<>()).add(node.index());
                    }
                }
            }
        }
        for (List<Integer> r : readers.values()) {
            int lo = r.get(0);
            int hi = r.get(r.size() - 1);
            for (int i : r) {
                reuseLo[i] = Math.min(reuseLo[i], lo);
                reuseHi[i] = Math.max(reuseHi[i], hi);
            }
        }
        this.stats = GraphAnalysis.perNode(graph);
    }

    /** The blocks of {@code graph} at the default maximum ratio 0.125. */
    public static List<Block> extract(Graph graph) {
        return extract(graph, DEFAULT_MAX_RATIO);
    }

    /**
     * The blocks of {@code graph}, each holding 2 to {@code max(floor(total convs × maxRatio), 2)} compressible
     * layers, in topological order; empty when the graph has no run that qualifies.
     *
     * @throws IllegalArgumentException when {@code maxRatio} is not in (0, 1]
     */
    public static List<Block> extract(Graph graph, double maxRatio) {
        if (!(maxRatio > 0 && maxRatio <= 1)) {
            throw new IllegalArgumentException("BlockExtractor: max ratio " + maxRatio + " (expected 0 < ratio <= 1)");
        }
        SEARCHES.incrementAndGet();
        return new BlockExtractor(graph, maxConvs(totalConvs(graph), maxRatio)).run();
    }

    /**
     * The blocks at node ranges found earlier ({@code spans[i] = {first, last}}, e.g. read from a block store),
     * rebuilt on {@code graph} without a search: each range is checked against the rules that make it a block
     * (one value in, one out; a prunable conv; shared layers whole) and costs its own length, where
     * {@link #extract} scans the whole graph.
     *
     * @throws IllegalArgumentException when a range is out of bounds or order, or is not a block of {@code graph}
     */
    public static List<Block> rebuild(Graph graph, int[][] spans) {
        BlockExtractor x = new BlockExtractor(graph, Integer.MAX_VALUE);
        List<Block> out = new ArrayList<>(spans.length);
        int after = 0;
        for (int[] span : spans) {
            int first = span[0];
            int last = span[1];
            if (first < after || last < first || last >= graph.nodes().size()) {
                throw new IllegalArgumentException("BlockExtractor: block " + out.size() + " spans nodes " + first
                        + ".." + last + ", expected a range after node " + (after - 1) + " within the graph's "
                        + graph.nodes().size() + " nodes");
            }
            Set<String> convKeys = new HashSet<>();
            for (int i = first; i <= last; i++) {
                if (isCompressible(graph.node(i))) {
                    convKeys.add(layerKey(graph, graph.node(i)));
                }
            }
            Candidate c = convKeys.size() < MIN_CONVS ? null : x.check(first, last, convKeys.size());
            if (c == null) {
                throw new IllegalArgumentException("BlockExtractor: nodes " + first + ".." + last + " of graph "
                        + graph.name() + " are not a block (one value in and out, a prunable conv)");
            }
            out.add(x.toBlock(out.size(), c));
            after = last + 1;
        }
        return out;
    }

    /** How many times {@link #extract} has searched a graph in this JVM (for tests that count the work a path does). */
    public static long searchCount() {
        return SEARCHES.get();
    }

    /** Whether LegoDNN may prune {@code node}: a convolution or transposed convolution. */
    public static boolean isCompressible(Node node) {
        return node.op() == Op.CONV || node.op() == Op.CONV_TRANSPOSE;
    }

    /** The compressible layers of {@code graph}, a layer whose weights several nodes read counted once. */
    public static int totalConvs(Graph graph) {
        Set<String> keys = new HashSet<>();
        for (Node n : graph.nodes()) {
            if (isCompressible(n)) {
                keys.add(layerKey(graph, n));
            }
        }
        return keys.size();
    }

    /** The most compressible layers in one block: {@code max(floor(total × maxRatio), 2)}. */
    public static int maxConvs(int totalConvs, double maxRatio) {
        return Math.max((int) Math.floor(totalConvs * maxRatio), MIN_CONVS);
    }

    /** The nodes outside every block: the fixed frame, in topological order. */
    public static List<Node> frame(Graph graph, List<Block> blocks) {
        boolean[] inBlock = new boolean[graph.nodes().size()];
        for (Block b : blocks) {
            for (int i = b.firstNode(); i <= b.lastNode(); i++) {
                inBlock[i] = true;
            }
        }
        List<Node> out = new ArrayList<>();
        for (Node n : graph.nodes()) {
            if (!inBlock[n.index()]) {
                out.add(n);
            }
        }
        return out;
    }

    // ---- the scan -----------------------------------------------------------------------------------------

    /** A valid run {@code start..end}, what enters and leaves it, and its output convs. */
    private record Candidate(int start, int end, int convs, String input, String output, List<Node> outputConvs) {
    }

    private List<Block> run() {
        List<Block> blocks = new ArrayList<>();
        int n = graph.nodes().size();
        int start = 0;
        while (start < n) {
            Candidate best = null;
            Set<String> convKeys = new HashSet<>();
            for (int end = start; end < n; end++) {
                Node last = graph.node(end);
                if (isCompressible(last)) {
                    convKeys.add(layerKey(graph, last));
                }
                int convs = convKeys.size();
                if (convs > maxConvs) {
                    break; // longer runs only hold more
                }
                if (convs < MIN_CONVS || (best != null && convs <= best.convs())) {
                    continue; // too few, or no better than the shorter run already found
                }
                Candidate c = check(start, end, convs);
                if (c != null) {
                    best = c;
                }
            }
            if (best == null) {
                start++;
            } else {
                blocks.add(toBlock(blocks.size(), best));
                start = best.end() + 1;
            }
        }
        return blocks;
    }

    /** The candidate {@code start..end} if it satisfies rules (1) to (4), else null. */
    private Candidate check(int start, int end, int convs) {
        // (3) layers called more than once: every call inside
        for (int i = start; i <= end; i++) {
            if (reuseLo[i] < start || reuseHi[i] > end) {
                return null;
            }
        }
        // (1) one value in, one value out
        String input = null;
        String output = null;
        for (int i = start; i <= end; i++) {
            Node node = graph.node(i);
            for (String in : node.inputs()) {
                if (in.isEmpty() || graph.isInitializer(in)) {
                    continue;
                }
                Node p = graph.producer(in);
                if (p == null || p.index() < start) {
                    if (input == null) {
                        input = in;
                    } else if (!input.equals(in)) {
                        return null;
                    }
                }
            }
            for (String out : node.outputs()) {
                if (leaves(out, end)) {
                    if (output == null) {
                        output = out;
                    } else if (!output.equals(out)) {
                        return null;
                    }
                }
            }
        }
        if (input == null || output == null) {
            return null;
        }
        // (4) both ends can be captured
        if (graph.shape(input) == null || graph.shape(output) == null) {
            return null;
        }
        // (2) a prunable conv besides the output convs
        List<Node> outputConvs = outputConvs(start, end, graph.producer(output));
        Set<String> fixed = new HashSet<>();
        for (Node c : outputConvs) {
            fixed.add(layerKey(graph, c));
        }
        boolean prunable = false;
        for (int i = start; i <= end && !prunable; i++) {
            Node node = graph.node(i);
            prunable = isCompressible(node) && !fixed.contains(layerKey(graph, node));
        }
        return prunable ? new Candidate(start, end, convs, input, output, outputConvs) : null;
    }

    /** Whether {@code value}, computed inside a run ending at {@code end}, is read after it or is a graph output. */
    private boolean leaves(String value, int end) {
        if (graphOutputs.contains(value)) {
            return true;
        }
        for (Node c : graph.consumers(value)) {
            if (c.index() > end) {
                return true;
            }
        }
        return false;
    }

    /** The first compressible node on every backward path from {@code last} that stays inside {@code start..end}. */
    private List<Node> outputConvs(int start, int end, Node last) {
        Set<Integer> seen = new HashSet<>();
        Set<Node> found = new java.util.TreeSet<>((a, b) -> Integer.compare(a.index(), b.index()));
        Deque<Node> queue = new ArrayDeque<>();
        queue.add(last);
        seen.add(last.index());
        while (!queue.isEmpty()) {
            Node node = queue.poll();
            if (isCompressible(node)) {
                found.add(node);
                continue;
            }
            for (Node p : graph.predecessors(node)) {
                if (p.index() >= start && p.index() <= end && seen.add(p.index())) {
                    queue.add(p);
                }
            }
        }
        return new ArrayList<>(found);
    }

    private Block toBlock(int index, Candidate c) {
        List<Node> nodes = new ArrayList<>();
        Set<String> layers = new LinkedHashSet<>();
        long params = 0;
        long flops = 0;
        for (int i = c.start(); i <= c.end(); i++) {
            Node node = graph.node(i);
            nodes.add(node);
            if (hasWeights(node)) {
                layers.add(Block.label(node));
            }
            params += stats.get(i).params();
            flops += stats.get(i).flops();
        }
        return new Block(index, nodes, new ArrayList<>(layers), c.input(), graph.shape(c.input()), c.output(),
                graph.shape(c.output()), c.outputConvs(), c.convs(), params, flops);
    }

    // ---- layers -------------------------------------------------------------------------------------------

    /** Whether {@code node} is a layer with weights: conv, transposed conv, BN, or Gemm/MatMul on an initializer. */
    private boolean hasWeights(Node node) {
        return switch (node.op()) {
            case CONV, CONV_TRANSPOSE, BATCH_NORM -> true;
            case GEMM, MATMUL -> {
                for (String in : node.inputs()) {
                    if (graph.isInitializer(in)) {
                        yield true;
                    }
                }
                yield false;
            }
            default -> false;
        };
    }

    /** What identifies a compressible layer across calls: its weight's name, else the node's name. */
    private static String layerKey(Graph graph, Node node) {
        String w = node.input(1);
        return w != null && graph.isInitializer(w) ? "w:" + w : "n:" + node.name();
    }
}
