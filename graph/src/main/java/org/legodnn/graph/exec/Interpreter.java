package org.legodnn.graph.exec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.ShapeInference;
import org.legodnn.tensor.Autograd;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * Runs a {@link Graph} for inference: walks the nodes in topological order, computes each with
 * {@link NodeKernels}, and drops every intermediate value after its last reader, so that memory follows the
 * live set rather than the whole graph. Gradients are off throughout.
 */
public final class Interpreter {

    private final Graph graph;
    /** For every value, the index of the last node that reads it (graph outputs: never released). */
    private final Map<String, Integer> lastUse = new HashMap<>();

    public Interpreter(Graph graph) {
        this.graph = graph;
        for (Node n : graph.nodes()) {
            for (String in : n.inputs()) {
                lastUse.put(in, n.index());
            }
        }
        for (String out : graph.outputs()) {
            lastUse.put(out, Integer.MAX_VALUE);
        }
    }

    /** Runs {@code graph} once; see {@link #run(Map)}. */
    public static Map<String, Tensor> run(Graph graph, Map<String, Tensor> inputs) {
        return new Interpreter(graph).run(inputs);
    }

    /**
     * Computes every graph output, by name in the graph's output order, from {@code inputs} (by graph input
     * name). Dimensions that the graph declares open (-1) may take any size; the others must match.
     */
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        Map<String, Tensor> env = new HashMap<>(graph.initializers());
        List<Tensor> given = graph.orderedInputs(inputs);
        for (int i = 0; i < given.size(); i++) {
            env.put(graph.inputs().get(i).name(), given.get(i));
        }
        try (var noGrad = Autograd.noGrad()) {
            for (Node n : graph.nodes()) {
                List<Tensor> args = new ArrayList<>(n.inputs().size());
                for (String name : n.inputs()) {
                    args.add(name.isEmpty() ? null : env.get(name));
                }
                env.put(n.output(), compute(n, args));
                for (String name : n.inputs()) {
                    if (lastUse.getOrDefault(name, -1) == n.index() && !graph.isInitializer(name)) {
                        env.remove(name);
                    }
                }
            }
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : graph.outputs()) {
            out.put(name, env.get(name));
        }
        return out;
    }

    /**
     * Computes one node from its input tensors (null for an absent optional input), checking the result
     * against shape inference. No gradients: the result is a constant.
     */
    public static Tensor compute(Node n, List<Tensor> inputs) {
        List<int[]> shapes = new ArrayList<>(inputs.size());
        for (Tensor t : inputs) {
            shapes.add(t == null ? null : t.shape());
        }
        int[] expected = ShapeInference.outputShape(n, shapes);
        Tensor y = NodeKernels.run(n, inputs);
        if (!y.sameShape(expected)) {
            throw new IllegalStateException("node " + n.name() + " (" + n.op().label() + ") produced "
                    + Shapes.format(y.shape()) + ", shape inference says " + Shapes.format(expected));
        }
        return y;
    }
}
