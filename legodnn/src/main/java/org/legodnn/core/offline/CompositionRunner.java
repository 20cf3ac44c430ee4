package org.legodnn.core.offline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.legodnn.core.blocks.Block;
import org.legodnn.core.prune.Descendant;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.ValueInfo;
import org.legodnn.graph.exec.Interpreter;
import org.legodnn.tensor.Autograd;
import org.legodnn.tensor.Tensor;

/**
 * Runs a composed model (frame plus one descendant per block, as {@link org.legodnn.core.prune.ComposedModel}
 * does) in pieces, so profiling can compute the part before a block once and reuse it for every descendant
 * swapped into that block: {@link #advance} runs the steps up to a node, {@link #finish} runs a copy of that
 * state to the end. Values are released after their last reader, as in the composed model's forward.
 */
final class CompositionRunner {

    private final Graph model;
    private final List<Block> blocks;
    private final List<List<Descendant>> descendants;
    private final Map<Integer, Integer> blockAt = new HashMap<>();
    private final Map<String, Integer> lastUse = new HashMap<>();
    private final Map<Descendant, Interpreter> interpreters = new IdentityHashMap<>();

    CompositionRunner(Graph model, List<Block> blocks, List<List<Descendant>> descendants) {
        this.model = model;
        this.blocks = List.copyOf(blocks);
        this.descendants = descendants;
        for (int i = 0; i < blocks.size(); i++) {
            blockAt.put(blocks.get(i).firstNode(), i);
        }
        for (Node n : model.nodes()) {
            Integer at = null;
            for (int i = 0; i < blocks.size(); i++) {
                if (blocks.get(i).contains(n.index())) {
                    at = i;
                }
            }
            if (at == null) {
                for (String in : n.inputs()) {
                    lastUse.put(in, n.index());
                }
            } else {
                lastUse.merge(blocks.get(at).inputValue(), blocks.get(at).lastNode(), Math::max);
            }
        }
        for (String out : model.outputs()) {
            lastUse.put(out, Integer.MAX_VALUE);
        }
    }

    /** The state before the first node: the model's input bound to {@code x}. */
    Map<String, Tensor> start(Tensor x) {
        Map<String, Tensor> env = new HashMap<>();
        env.put(model.inputs().get(0).name(), x);
        return env;
    }

    /** Runs the steps of {@code env} from node {@code from} up to (not including) node {@code until}, blocks as {@code selection} says. */
    void advance(Map<String, Tensor> env, int from, int until, int[] selection) {
        try (var noGrad = Autograd.noGrad()) {
            for (int i = from; i < until; i++) {
                Integer at = blockAt.get(i);
                if (at != null) {
                    Block b = blocks.get(at);
                    Descendant d = descendants.get(at).get(selection[at]);
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

    /** The model's first output computed from a copy of {@code env} (at node {@code from}) with {@code selection}. */
    Tensor finish(Map<String, Tensor> env, int from, int[] selection) {
        Map<String, Tensor> copy = new HashMap<>(env);
        advance(copy, from, model.nodes().size(), selection);
        return copy.get(model.outputs().get(0));
    }

    private void release(Map<String, Tensor> env, String value, int step) {
        if (lastUse.getOrDefault(value, -1) == step) {
            env.remove(value);
        }
    }

    private Interpreter interpreter(Descendant d) {
        return interpreters.computeIfAbsent(d, k -> {
            Graph g = k.module().graph();
            ValueInfo in = g.inputs().get(0);
            int[] open = in.shape();
            open[0] = -1;
            return new Interpreter(g.withInputShapes(Map.of(in.name(), open)));
        });
    }
}
