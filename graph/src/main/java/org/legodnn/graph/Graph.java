package org.legodnn.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * A model as a directed acyclic graph of {@link Node}s joined by named values: the form in which block
 * extraction, pruning, analysis, the interpreter and ONNX see a model. Immutable once built.
 *
 * <p>Nodes are kept in a deterministic topological order and numbered by it: a node is numbered once all its
 * predecessors are, and among the nodes that are ready the one added first comes first (so a file that is
 * already sorted keeps its order). Weights are initializers named as in a PyTorch state dict. Every value
 * has a shape, inferred from the declared input shapes (an open dimension, such as a symbolic batch size,
 * counts as 1).
 */
public final class Graph {

    private final String name;
    private final List<ValueInfo> inputs;
    private final List<String> outputs;
    private final Map<String, Tensor> initializers;
    private final List<Node> nodes;
    private final Map<String, Node> producers = new HashMap<>();
    private final Map<String, List<Node>> consumers = new HashMap<>();
    private final Map<String, int[]> shapes;

    /**
     * Checks that every value a node reads is defined exactly once, sorts the nodes and infers the shapes.
     * {@code nodes} may come in any order; their indices are reassigned.
     */
    public Graph(String name, List<ValueInfo> inputs, List<String> outputs, Map<String, Tensor> initializers,
                 List<Node> nodes) {
        this.name = name == null ? "" : name;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.initializers = Collections.unmodifiableMap(new LinkedHashMap<>(initializers));
        Set<String> defined = new HashSet<>();
        for (ValueInfo in : inputs) {
            define(defined, in.name(), "graph input");
        }
        for (String init : initializers.keySet()) {
            define(defined, init, "initializer");
        }
        for (Node n : nodes) {
            for (String out : n.outputs()) {
                define(defined, out, "output of node " + n.name());
            }
        }
        for (Node n : nodes) {
            for (String in : n.inputs()) {
                if (!in.isEmpty() && !defined.contains(in)) {
                    throw new IllegalArgumentException("graph " + this.name + ": node " + n.name() + " (" + n.op().label()
                            + ") reads value '" + in + "', which no input, initializer or node defines");
                }
            }
        }
        for (String out : outputs) {
            if (!defined.contains(out)) {
                throw new IllegalArgumentException("graph " + this.name + ": output '" + out + "' is not defined");
            }
        }
        this.nodes = List.copyOf(sort(nodes));
        for (Node n : this.nodes) {
            for (String out : n.outputs()) {
                producers.put(out, n);
            }
            for (String in : n.inputs()) {
                if (!in.isEmpty()) {
                    consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
                }
            }
        }
        Map<String, int[]> inputShapes = new LinkedHashMap<>();
        for (ValueInfo in : this.inputs) {
            inputShapes.put(in.name(), in.concreteShape());
        }
        this.shapes = Collections.unmodifiableMap(ShapeInference.infer(this, inputShapes));
    }

    private void define(Set<String> defined, String value, String what) {
        if (value.isEmpty() || !defined.add(value)) {
            throw new IllegalArgumentException("graph " + name + ": value '" + value + "' (" + what
                    + ") is empty or defined twice");
        }
    }

    /** Kahn's algorithm; among ready nodes the earliest added goes first. */
    private List<Node> sort(List<Node> unsorted) {
        Map<String, Integer> producerOf = new HashMap<>();
        for (int i = 0; i < unsorted.size(); i++) {
            for (String out : unsorted.get(i).outputs()) {
                producerOf.put(out, i);
            }
        }
        int[] pending = new int[unsorted.size()];
        List<List<Integer>> successors = new ArrayList<>();
        for (int i = 0; i < unsorted.size(); i++) {
            successors.add(new ArrayList<>());
        }
        for (int i = 0; i < unsorted.size(); i++) {
            Set<Integer> preds = new HashSet<>();
            for (String in : unsorted.get(i).inputs()) {
                Integer p = producerOf.get(in);
                if (p != null && preds.add(p)) {
                    successors.get(p).add(i);
                }
            }
            pending[i] = preds.size();
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < pending.length; i++) {
            if (pending[i] == 0) {
                ready.add(i);
            }
        }
        List<Node> order = new ArrayList<>(unsorted.size());
        while (!ready.isEmpty()) {
            int i = ready.poll();
            order.add(unsorted.get(i).withIndex(order.size()));
            for (int s : successors.get(i)) {
                if (--pending[s] == 0) {
                    ready.add(s);
                }
            }
        }
        if (order.size() != unsorted.size()) {
            List<String> stuck = new ArrayList<>();
            for (int i = 0; i < pending.length; i++) {
                if (pending[i] > 0) {
                    stuck.add(unsorted.get(i).name());
                }
            }
            throw new IllegalArgumentException("graph " + name + ": has a cycle through nodes " + stuck);
        }
        return order;
    }

    // ---- access -------------------------------------------------------------------------------------------

    public String name() {
        return name;
    }

    /** The nodes in topological order; {@code nodes().get(i).index() == i}. */
    public List<Node> nodes() {
        return nodes;
    }

    public Node node(int index) {
        return nodes.get(index);
    }

    /** The first node whose name or module path is {@code key}, or null. */
    public Node find(String key) {
        for (Node n : nodes) {
            if (n.name().equals(key) || n.modulePath().equals(key)) {
                return n;
            }
        }
        return null;
    }

    public List<ValueInfo> inputs() {
        return inputs;
    }

    /**
     * {@code given} (by input name) in the graph's input order, each checked against its declared shape: what
     * every executor does before it runs, so that a wrong input fails the same way everywhere.
     *
     * @throws IllegalArgumentException naming the graph and the input that is missing or of the wrong shape
     *                                  (open dimensions, -1, take any size)
     */
    public List<Tensor> orderedInputs(Map<String, Tensor> given) {
        List<Tensor> out = new ArrayList<>(inputs.size());
        for (ValueInfo in : inputs) {
            Tensor t = given.get(in.name());
            if (t == null) {
                throw new IllegalArgumentException("graph " + name + ": missing input '" + in.name() + "' "
                        + Shapes.format(in.shape()) + " (given " + given.keySet() + ")");
            }
            int[] declared = in.shape();
            boolean ok = declared.length == t.rank();
            for (int d = 0; ok && d < declared.length; d++) {
                ok = declared[d] < 0 || declared[d] == t.dim(d);
            }
            if (!ok) {
                throw new IllegalArgumentException("graph " + name + ": input '" + in.name() + "' has shape "
                        + Shapes.format(t.shape()) + ", the model expects " + Shapes.format(declared) + " (-1 = any)");
            }
            out.add(t);
        }
        return out;
    }

    public List<String> outputs() {
        return outputs;
    }

    /** Weights and constants by name (PyTorch state-dict names for weights), in insertion order. */
    public Map<String, Tensor> initializers() {
        return initializers;
    }

    public boolean isInitializer(String value) {
        return initializers.containsKey(value);
    }

    public Tensor initializer(String value) {
        return initializers.get(value);
    }

    /** The inferred shape of a value (inputs, initializers and node outputs), or null if unknown. */
    public int[] shape(String value) {
        int[] s = shapes.get(value);
        return s == null ? null : s.clone();
    }

    /** The node that computes {@code value}, or null for inputs and initializers. */
    public Node producer(String value) {
        return producers.get(value);
    }

    /** The nodes that read {@code value}, in topological order. */
    public List<Node> consumers(String value) {
        return Collections.unmodifiableList(consumers.getOrDefault(value, List.of()));
    }

    /** The nodes whose outputs {@code node} reads (each once), in input order. */
    public List<Node> predecessors(Node node) {
        List<Node> out = new ArrayList<>();
        for (String in : node.inputs()) {
            Node p = producers.get(in);
            if (p != null && !out.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /** The nodes that read any output of {@code node}, in topological order. */
    public List<Node> successors(Node node) {
        List<Node> out = new ArrayList<>();
        for (String o : node.outputs()) {
            for (Node c : consumers(o)) {
                if (!out.contains(c)) {
                    out.add(c);
                }
            }
        }
        out.sort((a, b) -> Integer.compare(a.index(), b.index()));
        return out;
    }

    /** The same graph with other input shapes (e.g. a real batch size), shapes inferred again. */
    public Graph withInputShapes(Map<String, int[]> newShapes) {
        List<ValueInfo> in = new ArrayList<>();
        for (ValueInfo v : inputs) {
            int[] s = newShapes.get(v.name());
            in.add(s == null ? v : new ValueInfo(v.name(), s));
        }
        return new Graph(name, in, outputs, initializers, nodes);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Graph ").append(name).append(" inputs ").append(inputs)
                .append(" outputs ").append(outputs).append('\n');
        for (Node n : nodes) {
            sb.append("  ").append(n).append(' ').append(java.util.Arrays.toString(shapes.get(n.output()))).append('\n');
        }
        return sb.toString();
    }
}
