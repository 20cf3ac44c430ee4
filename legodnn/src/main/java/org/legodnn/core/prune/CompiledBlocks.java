package org.legodnn.core.prune;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.legodnn.core.blocks.Block;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.ValueInfo;
import org.legodnn.graph.exec.CompiledGraph;
import org.legodnn.graph.exec.CpuExecution;
import org.legodnn.graph.exec.ExecutionDevice;
import org.legodnn.graph.transform.FusedNode;
import org.legodnn.tensor.Tensor;

/**
 * LegoDNN's model on the engine's fast path: the frame cut at the blocks into segments, each compiled once
 * ({@link CompiledGraph}: BatchNorm folded, epilogues fused, weights packed), descendants compiled once each
 * ({@link #compile}), and a composition {@link #compose joined} from them, so that switching a block plans
 * buffers again but compiles nothing, and what is profiled per block is exactly what is served.
 *
 * <p>{@link ComposedModel} runs the same composition on the plain interpreter (for training, accuracy profiling
 * and export); this class only serves and times.
 */
public final class CompiledBlocks implements AutoCloseable {

    private final Graph model;
    private final List<Block> blocks;
    /** {@code segments.get(i)} runs before the {@code i}-th block, the last one after the last block; null when empty. */
    private final List<CompiledGraph> segments;
    private final List<ValueInfo> inputs;
    private final ExecutionDevice device;

    /** Cuts {@code model}'s frame at {@code blocks} and compiles each segment for the CPU device in use now. */
    public CompiledBlocks(Graph model, List<Block> blocks) {
        this(model, blocks, CpuExecution.current());
    }

    /**
     * Cuts {@code model}'s frame at {@code blocks} (consecutive node runs, in order) and compiles each segment for
     * {@code device}, on which the descendants to compose must be compiled too.
     */
    public CompiledBlocks(Graph model, List<Block> blocks, ExecutionDevice device) {
        this.model = model;
        this.device = device;
        this.blocks = List.copyOf(blocks);
        this.inputs = openBatch(model.inputs());
        List<CompiledGraph> segs = new ArrayList<>(blocks.size() + 1);
        int from = 0;
        for (int i = 0; i <= blocks.size(); i++) {
            int until = i < blocks.size() ? blocks.get(i).firstNode() : model.nodes().size();
            segs.add(segment(from, until, i));
            if (i < blocks.size()) {
                from = blocks.get(i).lastNode() + 1;
            }
        }
        this.segments = segs;
    }

    /** The blocks, in order. */
    public List<Block> blocks() {
        return blocks;
    }

    /** The device the segments are compiled for. */
    public ExecutionDevice device() {
        return device;
    }

    /**
     * Compiles descendant {@code d} for any batch size on {@code device}, with the weights its module holds now
     * (later training does not reach the compiled copy).
     */
    public static CompiledGraph compile(Descendant d, ExecutionDevice device) {
        Graph g = d.module().graph();
        return CompiledGraph.compile(g.withInputShapes(Map.of(g.inputs().get(0).name(), openBatch(g.inputs().get(0)))),
                device);
    }

    /** Frees what the device holds for the frame's segments (nothing on the CPU). */
    @Override
    public void close() {
        for (CompiledGraph s : segments) {
            if (s != null) {
                s.close();
            }
        }
    }

    /**
     * The model with {@code chosen.get(i)} (a {@link #compile compiled} descendant of the {@code i}-th block) in
     * every block, as one compiled graph with a plan ready for batch 1.
     *
     * @throws IllegalArgumentException when {@code chosen} has not one entry per block
     */
    public CompiledGraph compose(List<CompiledGraph> chosen) {
        if (chosen.size() != blocks.size()) {
            throw new IllegalArgumentException("CompiledBlocks: " + chosen.size() + " descendants for " + blocks.size()
                    + " blocks");
        }
        List<CompiledGraph> pieces = new ArrayList<>(2 * blocks.size() + 1);
        for (int i = 0; i <= blocks.size(); i++) {
            if (segments.get(i) != null) {
                pieces.add(segments.get(i));
            }
            if (i < blocks.size()) {
                pieces.add(chosen.get(i));
            }
        }
        CompiledGraph joined = CompiledGraph.join(model.name() + ".served", inputs, model.outputs(), pieces);
        Map<String, int[]> batchOne = new LinkedHashMap<>();
        for (ValueInfo in : model.inputs()) {
            batchOne.put(in.name(), in.concreteShape());
        }
        return joined.prepare(batchOne);
    }

    /**
     * Times {@code composition} ({@link #compose joined} from {@code chosen}) step by step on {@code x}, and
     * attributes each step to the block whose descendant it runs, or else to the frame: per call, per block,
     * milliseconds, the frame last. This is how LegoDNN profiles latency on the CPU: exactly the steps that are
     * served, so that a composition's estimate (frame plus its blocks) adds up to what it measures.
     */
    public double[][] timeInModel(CompiledGraph composition, List<CompiledGraph> chosen, Tensor x, int warmups,
                                  int calls) {
        Map<String, Integer> owner = new HashMap<>();
        for (int i = 0; i < chosen.size(); i++) {
            for (FusedNode f : chosen.get(i).steps()) {
                owner.put(f.node().name(), i);
            }
        }
        CompiledGraph.StepTimes t = composition.timeSteps(Map.of(model.inputs().get(0).name(), x), warmups, calls);
        double[][] out = new double[calls][blocks.size() + 1];
        for (int c = 0; c < calls; c++) {
            for (int k = 0; k < t.nodes().size(); k++) {
                Integer b = owner.get(t.nodes().get(k));
                out[c][b == null ? blocks.size() : b] += t.ms()[c][k];
            }
        }
        return out;
    }

    /** Frame nodes {@code [from, until)} as a compiled graph of the values they read and those read after them. */
    private CompiledGraph segment(int from, int until, int position) {
        if (from >= until) {
            return null;
        }
        Set<String> produced = new HashSet<>();
        Set<String> reads = new LinkedHashSet<>();
        List<Node> nodes = new ArrayList<>(model.nodes().subList(from, until));
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (Node n : nodes) {
            for (String in : n.inputs()) {
                if (in.isEmpty() || produced.contains(in)) {
                    continue;
                }
                if (model.isInitializer(in)) {
                    weights.put(in, model.initializer(in));
                } else {
                    reads.add(in);
                }
            }
            produced.addAll(n.outputs());
        }
        Set<String> modelOutputs = new HashSet<>(model.outputs());
        List<String> outputs = new ArrayList<>();
        for (Node n : nodes) {
            for (String out : n.outputs()) {
                if (modelOutputs.contains(out) || readAfter(out, until)) {
                    outputs.add(out);
                }
            }
        }
        if (outputs.isEmpty()) {
            return null; // nothing later reads what these nodes compute
        }
        // A segment runs only inside a joined graph, whose plans infer every shape from the model's inputs, so the
        // values it reads keep their traced shapes: their leading dimension need not be the batch (a model that
        // folds segments or snippets into the batch reads [3·N, ...] after its blocks, which a batch of 1 breaks).
        List<ValueInfo> in = new ArrayList<>();
        for (String v : reads) {
            in.add(new ValueInfo(v, model.shape(v)));
        }
        return CompiledGraph.compile(new Graph(model.name() + ".frame" + position, in, outputs, weights, nodes), device);
    }

    private boolean readAfter(String value, int until) {
        for (Node n : model.consumers(value)) {
            if (n.index() >= until) {
                return true;
            }
        }
        return false;
    }

    private static List<ValueInfo> openBatch(List<ValueInfo> values) {
        List<ValueInfo> out = new ArrayList<>(values.size());
        for (ValueInfo v : values) {
            out.add(new ValueInfo(v.name(), openBatch(v)));
        }
        return out;
    }

    /** {@code v}'s shape with the batch dimension open (-1). */
    private static int[] openBatch(ValueInfo v) {
        int[] s = v.shape().clone();
        s[0] = -1;
        return s;
    }
}
