package org.legodnn.graph.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.graph.transform.FusedNode;
import org.legodnn.tensor.Shapes;

/**
 * Where every value of one run lives, planned once per input shape and the same for every device: a value
 * takes a free buffer when it is produced and gives it back after its last reader, like a register, so a
 * ResNet runs in a handful of buffers that stay warm from call to call. Reshape, Flatten and Identity share
 * their input's buffer (no step); a step that its device can run in place writes over an input that dies with
 * it. Graph outputs get buffers of their own. A device turns the result into its plan: arrays on the CPU,
 * device buffers on OpenCL; only its kernels differ.
 */
public final class BufferPlan {

    /** How a buffer is filled: planned once and reused, the caller's input, a weight, or a graph output. */
    public enum Kind { POOLED, INPUT, CONSTANT, OUTPUT }

    /**
     * One step of the run.
     *
     * @param node     the lowered node it computes; null for a copy of {@code inputs[0]} into an output
     * @param inputs   the buffer of each node input, -1 for an absent optional one
     * @param residual the buffer of the residual folded into it, -1 for none
     * @param output   the buffer it writes
     * @param label    what it computes, e.g. {@code layer1.0.conv2 conv+add+relu [1, 64, 56, 56]}
     */
    public record Step(FusedNode node, int[] inputs, int residual, int output, String label) {

        /** The name of the node it runs ("" for a copy), to attribute time to parts of a graph. */
        public String nodeName() {
            return node == null ? "" : node.node().name();
        }
    }

    private final Graph graph;
    private final List<Step> steps;
    private final List<Kind> kinds;
    private final List<Integer> capacity;
    private final List<String> constants;
    private final int[] inputBuffers;
    private final int[] outputBuffers;

    private BufferPlan(Graph graph, List<Step> steps, List<Kind> kinds, List<Integer> capacity, List<String> constants,
                       int[] inputBuffers, int[] outputBuffers) {
        this.graph = graph;
        this.steps = steps;
        this.kinds = kinds;
        this.capacity = capacity;
        this.constants = constants;
        this.inputBuffers = inputBuffers;
        this.outputBuffers = outputBuffers;
    }

    /**
     * Plans {@code steps} over {@code shaped} (the lowered graph with the run's input shapes).
     *
     * @param inPlace which steps the device can run writing over their first input (elementwise kernels)
     */
    public static BufferPlan build(Graph shaped, List<FusedNode> steps, Predicate<FusedNode> inPlace) {
        return new Builder(shaped, steps, inPlace).build();
    }

    /** The graph with the shapes planned for. */
    public Graph graph() {
        return graph;
    }

    public List<Step> steps() {
        return steps;
    }

    public int bufferCount() {
        return kinds.size();
    }

    public Kind kind(int buffer) {
        return kinds.get(buffer);
    }

    /** Floats the buffer must hold. */
    public int capacity(int buffer) {
        return capacity.get(buffer);
    }

    /** The initializer a constant buffer holds. */
    public String constant(int buffer) {
        return constants.get(buffer);
    }

    /** The buffer of each graph input, in the graph's order. */
    public int[] inputBuffers() {
        return inputBuffers.clone();
    }

    /** The buffer of each graph output, in the graph's order. */
    public int[] outputBuffers() {
        return outputBuffers.clone();
    }

    /**
     * Whether {@code f} computes each output value from the values at the same index of inputs of its own
     * shape (ReLU, Clip, sigmoid, tanh, exp, a same-shape Add), so that any device's kernel can write over its first input.
     */
    public static boolean elementwise(FusedNode f, Graph g) {
        Node n = f.node();
        return switch (n.op()) {
            case RELU, CLIP, SIGMOID, TANH, EXP -> true;
            case ADD -> Arrays.equals(g.shape(n.input(0)), g.shape(n.input(1)))
                    && Arrays.equals(g.shape(n.input(0)), g.shape(n.output()));
            default -> false;
        };
    }

    /** Whether the op's output is its input's data under another shape (no step, one buffer). */
    static boolean aliases(Node n) {
        return n.op() == Op.FLATTEN || n.op() == Op.RESHAPE || n.op() == Op.IDENTITY;
    }

    /** The assignment, made in one walk over the steps. */
    private static final class Builder {
        private final Graph g;
        private final List<FusedNode> fused;
        private final Predicate<FusedNode> inPlace;
        private final List<Kind> kinds = new ArrayList<>();
        private final List<Integer> capacity = new ArrayList<>();
        private final List<String> constants = new ArrayList<>();
        /** Live values per buffer; a pooled buffer with none is free. */
        private final List<Integer> refs = new ArrayList<>();
        private final Map<String, Integer> bufferOf = new HashMap<>();
        private final Map<String, Integer> lastUse = new HashMap<>();
        private final Set<Integer> free = new HashSet<>();

        Builder(Graph g, List<FusedNode> fused, Predicate<FusedNode> inPlace) {
            this.g = g;
            this.fused = fused;
            this.inPlace = inPlace;
        }

        BufferPlan build() {
            for (int i = 0; i < fused.size(); i++) {
                for (String in : reads(fused.get(i))) {
                    lastUse.put(in, i);
                }
            }
            int[] inputBuffers = new int[g.inputs().size()];
            for (int i = 0; i < inputBuffers.length; i++) {
                String name = g.inputs().get(i).name();
                inputBuffers[i] = newBuffer(Kind.INPUT, size(name), null);
                bufferOf.put(name, inputBuffers[i]);
                refs.set(inputBuffers[i], 1);
            }
            Set<String> outputs = new HashSet<>(g.outputs());
            List<Step> steps = new ArrayList<>();
            for (int i = 0; i < fused.size(); i++) {
                FusedNode f = fused.get(i);
                Node n = f.node();
                String out = n.output();
                int size = size(out);
                int[] in = new int[n.inputs().size()];
                for (int k = 0; k < in.length; k++) {
                    String v = n.input(k);
                    in[k] = v == null || v.isEmpty() ? -1 : buffer(v);
                }
                int res = f.residual() == null ? -1 : buffer(f.residual());
                int y;
                boolean alias = aliases(n) && in[0] >= 0 && kinds.get(in[0]) == Kind.POOLED;
                if (outputs.contains(out)) {
                    y = newBuffer(Kind.OUTPUT, size, null);
                    alias = false;
                } else if (alias) {
                    y = in[0];
                } else if (inPlace.test(f) && dyingPooled(n.input(0), i)) {
                    y = in[0];
                } else {
                    y = take(size);
                }
                refs.set(y, refs.get(y) + 1);
                bufferOf.put(out, y);
                if (!alias) {
                    steps.add(new Step(f, in, res, y, f.label() + " " + Shapes.format(g.shape(out))));
                }
                for (String v : new HashSet<>(reads(f))) {
                    if (lastUse.get(v) == i && !outputs.contains(v)) {
                        release(v);
                    }
                }
            }
            int[] outputBuffers = new int[g.outputs().size()];
            for (int i = 0; i < outputBuffers.length; i++) {
                String name = g.outputs().get(i);
                Integer b = bufferOf.get(name);
                if (b == null || kinds.get(b) != Kind.OUTPUT) {
                    // An output that no step produces (an input or a weight passed through): copy it out.
                    int src = buffer(name);
                    b = newBuffer(Kind.OUTPUT, size(name), null);
                    steps.add(new Step(null, new int[] {src}, -1, b, "copy " + name));
                }
                outputBuffers[i] = b;
            }
            return new BufferPlan(g, List.copyOf(steps), List.copyOf(kinds), List.copyOf(capacity),
                    Collections.unmodifiableList(new ArrayList<>(constants)), inputBuffers, outputBuffers);
        }

        /** Every value a step reads: its inputs and its residual. */
        private List<String> reads(FusedNode f) {
            List<String> r = new ArrayList<>();
            for (String v : f.node().inputs()) {
                if (v != null && !v.isEmpty()) {
                    r.add(v);
                }
            }
            if (f.residual() != null) {
                r.add(f.residual());
            }
            return r;
        }

        /** The buffer of a value already produced, or a constant buffer for a weight. */
        private int buffer(String value) {
            Integer b = bufferOf.get(value);
            if (b == null) {
                if (!g.isInitializer(value)) {
                    throw new IllegalStateException("graph " + g.name() + ": value '" + value
                            + "' is read before it is computed");
                }
                b = newBuffer(Kind.CONSTANT, g.initializer(value).size(), value);
                refs.set(b, 1);
                bufferOf.put(value, b);
            }
            return b;
        }

        /** Whether {@code value} lives alone in a pooled buffer and step {@code i} is its last reader. */
        private boolean dyingPooled(String value, int i) {
            Integer b = bufferOf.get(value);
            return b != null && kinds.get(b) == Kind.POOLED && refs.get(b) == 1 && lastUse.get(value) == i
                    && !g.outputs().contains(value);
        }

        /** A free pooled buffer for {@code size} floats: the smallest that fits, else the largest grown. */
        private int take(int size) {
            int best = -1;
            int largest = -1;
            for (int b : free) {
                int cap = capacity.get(b);
                if (cap >= size && (best < 0 || cap < capacity.get(best))) {
                    best = b;
                }
                if (largest < 0 || cap > capacity.get(largest)) {
                    largest = b;
                }
            }
            int b = best >= 0 ? best : largest;
            if (b < 0) {
                return newBuffer(Kind.POOLED, size, null);
            }
            free.remove(b);
            capacity.set(b, Math.max(size, capacity.get(b)));
            return b;
        }

        private void release(String value) {
            int b = bufferOf.get(value);
            int left = refs.get(b) - 1;
            refs.set(b, left);
            if (left == 0 && kinds.get(b) == Kind.POOLED) {
                free.add(b);
            }
        }

        private int newBuffer(Kind kind, int size, String constant) {
            kinds.add(kind);
            capacity.add(size);
            constants.add(constant);
            refs.add(0);
            return kinds.size() - 1;
        }

        private int size(String value) {
            int[] s = g.shape(value);
            if (s == null) {
                throw new IllegalStateException("graph " + g.name() + ": no shape for value '" + value + "'");
            }
            return Shapes.checkedSize(value, s);
        }
    }
}
