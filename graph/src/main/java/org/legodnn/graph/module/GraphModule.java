package org.legodnn.graph.module;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.graph.ValueInfo;
import org.legodnn.nn.Module;
import org.legodnn.tensor.Tensor;

/**
 * A {@link Graph} as a {@link Module} again: every initializer is registered under its own dotted name
 * ({@code layer1.0.conv1.weight} lives in child {@code layer1}, its child {@code 0}, its child {@code conv1}),
 * so the state dict has the graph's names and weights load, save and train like any module's. Weights of
 * convolutions, Linear layers and BN scale/shift are parameters; BN running statistics and other constants
 * are buffers. {@link #forward} runs the nodes in order with the differentiable ops where they exist
 * ({@link GraphOps}), so an imported or composed model can be fine-tuned; the tracer inlines the graph.
 */
public final class GraphModule extends Module {

    private final Graph graph;
    private final Map<String, Tensor> live = new HashMap<>();
    private final Map<String, Integer> lastUse = new HashMap<>();

    /** Wraps {@code graph} (one input, one output); the initializers are copied into the new module. */
    public GraphModule(Graph graph) {
        if (graph.inputs().size() != 1 || graph.outputs().size() != 1) {
            throw new IllegalArgumentException("GraphModule: graph " + graph.name() + " has " + graph.inputs().size()
                    + " inputs and " + graph.outputs().size() + " outputs; a module has one of each");
        }
        this.graph = graph;
        Set<String> trainable = trainableInitializers(graph);
        Map<String, Scope> scopes = new HashMap<>();
        for (Map.Entry<String, Tensor> e : graph.initializers().entrySet()) {
            String name = e.getKey();
            int dot = name.lastIndexOf('.');
            Module owner = dot < 0 ? this : scope(scopes, name.substring(0, dot));
            String local = name.substring(dot + 1);
            Tensor copy = e.getValue().copy();
            Scope.register(owner, local, copy, trainable.contains(name), name);
            live.put(name, copy);
        }
        for (Node n : graph.nodes()) {
            for (String in : n.inputs()) {
                lastUse.put(in, n.index());
            }
        }
    }

    /** Initializers that a layer trains: conv/Linear weights and biases, BN scale and shift. */
    private static Set<String> trainableInitializers(Graph g) {
        Set<String> out = new HashSet<>();
        for (Node n : g.nodes()) {
            int count = switch (n.op()) {
                case CONV, CONV_TRANSPOSE, GEMM -> 3;
                case BATCH_NORM -> 3;
                default -> 0;
            };
            for (int k = 1; k < Math.min(count, n.inputs().size()); k++) {
                if (g.isInitializer(n.input(k))) {
                    out.add(n.input(k));
                }
            }
        }
        return out;
    }

    void addTensor(String local, Tensor t, boolean parameter) {
        if (parameter) {
            registerParameter(local, t);
        } else {
            registerBuffer(local, t);
        }
    }

    void addScope(String local, Scope s) {
        registerModule(local, s);
    }

    /** The container module at dotted {@code path}, created (with its parents) on first use. */
    private Module scope(Map<String, Scope> scopes, String path) {
        Scope s = scopes.get(path);
        if (s != null) {
            return s;
        }
        int dot = path.lastIndexOf('.');
        Module parent = dot < 0 ? this : scope(scopes, path.substring(0, dot));
        s = new Scope();
        Scope.attach(parent, path.substring(dot + 1), s, path);
        scopes.put(path, s);
        return s;
    }

    /** The graph with the module's current weights as its initializers. */
    public Graph graph() {
        Map<String, Tensor> init = new LinkedHashMap<>();
        for (String name : graph.initializers().keySet()) {
            init.put(name, live.get(name));
        }
        return new Graph(graph.name(), graph.inputs(), graph.outputs(), init, graph.nodes());
    }

    /** The graph's input description (name and declared shape). */
    public ValueInfo input() {
        return graph.inputs().get(0);
    }

    @Override
    public Tensor forward(Tensor x) {
        Map<String, Tensor> env = new HashMap<>(live);
        env.put(graph.inputs().get(0).name(), x);
        for (Node n : graph.nodes()) {
            List<Tensor> args = new ArrayList<>(n.inputs().size());
            for (String in : n.inputs()) {
                args.add(in.isEmpty() ? null : env.get(in));
            }
            env.put(n.output(), GraphOps.apply(n, args, isTraining()));
            for (String in : n.inputs()) {
                if (lastUse.get(in) == n.index() && !live.containsKey(in) && !graph.outputs().contains(in)) {
                    env.remove(in);
                }
            }
        }
        return env.get(graph.outputs().get(0));
    }

    /** A node of the graph, for callers that look at the structure. */
    public List<Node> nodes() {
        return graph.nodes();
    }

    /** Whether any node is of kind {@code op}. */
    public boolean uses(Op op) {
        return graph.nodes().stream().anyMatch(n -> n.op() == op);
    }
}
