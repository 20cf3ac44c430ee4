package org.legodnn.core.prune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.legodnn.core.blocks.Block;
import org.legodnn.core.blocks.BlockExtractor;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.ValueInfo;
import org.legodnn.graph.analysis.GraphAnalysis;
import org.legodnn.graph.exec.Interpreter;
import org.legodnn.graph.module.GraphModule;
import org.legodnn.tensor.Autograd;
import org.legodnn.tensor.Tensor;

/**
 * A model put together from the fixed frame and one chosen descendant per block: what LegoDNN runs and
 * scales at run time. The frame is the model graph's nodes outside every block
 * ({@link BlockExtractor#frame}); since a block is a run of consecutive nodes with one value in and one out,
 * running the model in topological order and replacing each block's nodes by its chosen descendant (fed the
 * block's input value, producing the block's output value) computes the composed model. {@link #select}
 * swaps descendants without rebuilding anything.
 *
 * <p>{@link #forward} is inference: no gradients, BatchNorm with running statistics, the descendants'
 * current weights (those of {@link Descendant#module()}, so retrained weights are used). {@link #graph()}
 * splices the same thing into one graph with PyTorch weight names, which {@link #module()} turns into one
 * trainable module, the tracer inlines and the ONNX exporter writes.
 */
public final class ComposedModel {

    private final Graph model;
    private final List<Block> blocks;
    private final List<List<Descendant>> descendants;
    /** Position in {@link #blocks} of the block that starts at a node index. */
    private final Map<Integer, Integer> blockAt = new HashMap<>();
    /** For every value, the last step (node index; a block's last node) that reads it. */
    private final Map<String, Integer> lastUse = new HashMap<>();
    /**
     * Per descendant, an interpreter over its current weights with an open batch dimension; synchronized, so
     * threads may run the model at once through the explicit-choice path ({@link #finish}, the block switcher).
     */
    private final Map<Descendant, Interpreter> interpreters =
            java.util.Collections.synchronizedMap(new IdentityHashMap<>());
    private final int[] selection;

    /**
     * The composition of {@code model}'s frame with {@code descendants.get(i)} as the choices for block
     * {@code blocks.get(i)}; every block starts at its first descendant (selection all 0).
     *
     * @throws IllegalArgumentException when the lists differ in length, a block has no descendant, or a
     *                                  descendant's input or output differs from its block's
     */
    public ComposedModel(Graph model, List<Block> blocks, List<List<Descendant>> descendants) {
        if (blocks.size() != descendants.size()) {
            throw new IllegalArgumentException("ComposedModel: " + blocks.size() + " blocks but descendants for "
                    + descendants.size());
        }
        this.model = model;
        this.blocks = List.copyOf(blocks);
        this.descendants = List.copyOf(descendants);
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            if (descendants.get(i).isEmpty()) {
                throw new IllegalArgumentException("ComposedModel: block " + b.index() + " has no descendant");
            }
            for (Descendant d : descendants.get(i)) {
                Graph g = d.graph();
                boolean same = g.inputs().size() == 1 && g.inputs().get(0).name().equals(b.inputValue())
                        && g.outputs().equals(List.of(b.outputValue()))
                        && Arrays.equals(g.shape(b.inputValue()), b.inputShape())
                        && Arrays.equals(g.shape(b.outputValue()), b.outputShape());
                if (!same) {
                    throw new IllegalArgumentException("ComposedModel: descendant at sparsity " + d.sparsity()
                            + " of block " + b.index() + " maps " + g.inputs() + " -> " + g.outputs()
                            + ", the block maps " + b.inputValue() + " -> " + b.outputValue());
                }
            }
            blockAt.put(b.firstNode(), i);
        }
        for (Node n : model.nodes()) {
            Block b = owner(n.index());
            if (b == null) {
                for (String in : n.inputs()) {
                    lastUse.put(in, n.index());
                }
            } else {
                lastUse.merge(b.inputValue(), b.lastNode(), Math::max);
            }
        }
        for (String out : model.outputs()) {
            lastUse.put(out, Integer.MAX_VALUE);
        }
        this.selection = new int[blocks.size()];
    }

    /** The block that holds node {@code index}, or null when it lies in the frame. */
    private Block owner(int index) {
        for (Block b : blocks) {
            if (b.contains(index)) {
                return b;
            }
        }
        return null;
    }

    /**
     * Chooses, per block, the index of its descendant (into the list given for it: with the default
     * sparsities, 0 is the original and 4 is 80% pruned).
     *
     * @return this model
     * @throws IllegalArgumentException when the length or an index is out of range
     */
    public ComposedModel select(int... choice) {
        if (choice.length != blocks.size()) {
            throw new IllegalArgumentException("ComposedModel: selection of " + choice.length + " entries for "
                    + blocks.size() + " blocks");
        }
        for (int i = 0; i < choice.length; i++) {
            if (choice[i] < 0 || choice[i] >= descendants.get(i).size()) {
                throw new IllegalArgumentException("ComposedModel: block " + blocks.get(i).index() + " has "
                        + descendants.get(i).size() + " descendants, selection asks for index " + choice[i]);
            }
        }
        System.arraycopy(choice, 0, selection, 0, choice.length);
        return this;
    }

    /** The current selection, one descendant index per block. */
    public int[] selection() {
        return selection.clone();
    }

    /** The descendant now chosen for the {@code i}-th block. */
    public Descendant chosen(int i) {
        return descendants.get(i).get(selection[i]);
    }

    /** The blocks, in order. */
    public List<Block> blocks() {
        return blocks;
    }

    /** The model graph whose frame this composes. */
    public Graph model() {
        return model;
    }

    /** The descendants of the {@code i}-th block, in selection order. */
    public List<Descendant> descendants(int i) {
        return descendants.get(i);
    }

    /** The frame: the model's nodes outside every block, in topological order. */
    public List<Node> frame() {
        return BlockExtractor.frame(model, blocks);
    }

    /** Runs the composed model on {@code x} (the model's one input; any batch size) and returns its first output. */
    public Tensor forward(Tensor x) {
        return finish(start(x), 0, selection);
    }

    // ---- running in pieces: profiling computes the part before a block once and reuses it for every
    // descendant swapped into that block --------------------------------------------------------------------

    /** The state before the first node: the model's input bound to {@code x}. */
    public Map<String, Tensor> start(Tensor x) {
        Map<String, Tensor> env = new HashMap<>();
        env.put(model.inputs().get(0).name(), x);
        return env;
    }

    /**
     * Runs nodes {@code [from, until)} on {@code env}, with each block's descendant as {@code choice} says
     * (not this model's own selection). Values are released after their last reader.
     */
    public void advance(Map<String, Tensor> env, int from, int until, int[] choice) {
        try (var noGrad = Autograd.noGrad()) {
            for (int i = from; i < until; i++) {
                Integer at = blockAt.get(i);
                if (at != null) {
                    Block b = blocks.get(at);
                    Descendant d = descendants.get(at).get(choice[at]);
                    Tensor in = env.get(b.inputValue());
                    env.put(b.outputValue(), interpreter(d).run(Map.of(b.inputValue(), in)).get(b.outputValue()));
                    release(env, b.inputValue(), b.lastNode());
                    i = b.lastNode();
                    continue;
                }
                Node n = model.node(i);
                List<Tensor> args = new ArrayList<>(n.inputs().size());
                for (String in : n.inputs()) {
                    args.add(in.isEmpty() ? null : model.isInitializer(in) ? model.initializer(in) : env.get(in));
                }
                env.put(n.output(), Interpreter.compute(n, args));
                for (String in : n.inputs()) {
                    release(env, in, i);
                }
            }
        }
    }

    /** The model's first output, computed from a copy of {@code env} (the state at node {@code from}) with {@code choice}. */
    public Tensor finish(Map<String, Tensor> env, int from, int[] choice) {
        return finishAll(env, from, choice).get(model.outputs().get(0));
    }

    /**
     * Every output of the model by name, in the model's order, computed like {@link #finish}: what a model with
     * several heads (a detector's scales) gives; blocks never hold a second output, so the heads lie in the frame
     * or each ends a block.
     */
    public Map<String, Tensor> finishAll(Map<String, Tensor> env, int from, int[] choice) {
        Map<String, Tensor> copy = new HashMap<>(env);
        advance(copy, from, model.nodes().size(), choice);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String o : model.outputs()) {
            out.put(o, copy.get(o));
        }
        return out;
    }

    /**
     * Runs descendant {@code j} of the {@code i}-th block alone on {@code in} (the block's input, any batch
     * size), as {@link #advance} would inside the model: what latency profiling times.
     *
     * @throws IndexOutOfBoundsException when {@code i} or {@code j} is out of range
     */
    public Tensor runBlock(int i, int j, Tensor in) {
        Block b = blocks.get(i);
        try (var noGrad = Autograd.noGrad()) {
            return interpreter(descendants.get(i).get(j)).run(Map.of(b.inputValue(), in)).get(b.outputValue());
        }
    }

    private void release(Map<String, Tensor> env, String value, int step) {
        if (lastUse.getOrDefault(value, -1) == step) {
            env.remove(value);
        }
    }

    /**
     * Builds now what the first {@link #forward} would otherwise build (an interpreter per descendant), so that
     * a model about to go live costs its first inference nothing extra.
     *
     * @return this model
     */
    public ComposedModel prepare() {
        for (List<Descendant> ds : descendants) {
            for (Descendant d : ds) {
                interpreter(d);
            }
        }
        return this;
    }

    private Interpreter interpreter(Descendant d) {
        return interpreters.computeIfAbsent(d, k -> {
            Graph g = k.module().graph(); // the module's live weights: retraining shows without a rebuild
            ValueInfo in = g.inputs().get(0);
            int[] open = in.shape();
            open[0] = -1;
            return new Interpreter(g.withInputShapes(Map.of(in.name(), open)));
        });
    }

    /**
     * The composed model as one graph: the frame's nodes and weights with, in place of each block, the
     * chosen descendant's nodes and current weights. Names are the model's, so the result has the model's
     * input, output and state-dict names, with smaller tensors where blocks were pruned.
     */
    public Graph graph() {
        List<Node> nodes = new ArrayList<>();
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (int i = 0; i < model.nodes().size(); i++) {
            Integer at = blockAt.get(i);
            if (at != null) {
                Block b = blocks.get(at);
                Graph d = chosen(at).module().graph();
                nodes.addAll(d.nodes());
                weights.putAll(d.initializers());
                i = b.lastNode();
                continue;
            }
            Node n = model.node(i);
            nodes.add(n);
            for (String in : n.inputs()) {
                if (model.isInitializer(in)) {
                    weights.putIfAbsent(in, model.initializer(in));
                }
            }
        }
        return new Graph(model.name() + ".composed", model.inputs(), model.outputs(), weights, nodes);
    }

    /** {@link #graph()} as one trainable module with PyTorch names (own copies of the weights). */
    public GraphModule module() {
        return new GraphModule(graph());
    }

    /** Parameters and FLOPs of the composition (frame plus chosen descendants), as {@link GraphAnalysis} counts. */
    public GraphAnalysis.Totals totals() {
        return GraphAnalysis.totals(GraphAnalysis.perNode(graph()));
    }
}
