package org.legodnn.graph.exec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.transform.FusedNode;
import org.legodnn.kernels.Backend;
import org.legodnn.kernels.PackedConv;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * The fixed schedule of one {@link CompiledGraph} for one set of input shapes: which buffer every value
 * lives in and the list of steps that fill them. Buffers are planned once, like registers: a value takes a
 * free buffer when it is produced and gives it back after its last reader, so a ResNet runs in a handful of
 * buffers that stay warm in cache from call to call. Reshape, Flatten and Identity share their input's
 * buffer; ReLU, Clip and Add write over an input that dies with them. Graph outputs get a fresh array per
 * call, so the tensors a call returns are the caller's to keep. A plan runs one call at a time: its owner,
 * {@link CompiledGraph}, lends each plan to one caller at a time.
 */
final class InferencePlan {

    /** How a buffer is filled: planned once, the caller's input, a weight, or a graph output. */
    enum Kind { POOLED, INPUT, CONSTANT, OUTPUT }

    /** One step of the schedule; {@code buffers} holds every buffer of the plan by its index. */
    @FunctionalInterface
    interface Step {
        void run(float[][] buffers);
    }

    private final float[][] buffers;
    private final int[] inputBuffers;
    private final List<String> outputNames;
    private final int[] outputBuffers;
    private final int[][] outputShapes;
    private final List<Step> steps;
    /** What each step computes, for profiles: the node's name and op, and what was fused into it. */
    private final List<String> labels;
    /** The name of the node each step runs ("" for a copy of an output), to attribute time to pieces of a graph. */
    private final List<String> nodes;

    private InferencePlan(float[][] buffers, int[] inputBuffers, List<String> outputNames, int[] outputBuffers,
                          int[][] outputShapes, List<Step> steps, List<String> labels, List<String> nodes) {
        this.buffers = buffers;
        this.inputBuffers = inputBuffers;
        this.outputNames = outputNames;
        this.outputBuffers = outputBuffers;
        this.outputShapes = outputShapes;
        this.steps = steps;
        this.labels = labels;
        this.nodes = nodes;
    }

    /** The label of every step, in order (what {@link #run(List, long[])} times). */
    List<String> labels() {
        return labels;
    }

    /** The node name of every step, in order ("" for a copy). */
    List<String> nodes() {
        return nodes;
    }

    /**
     * Runs the schedule on {@code inputs} (in the graph's input order, shapes as planned). When
     * {@code nanos} is not null, each step's wall time is added to its entry.
     */
    Map<String, Tensor> run(List<Tensor> inputs, long[] nanos) {
        for (int i = 0; i < inputBuffers.length; i++) {
            buffers[inputBuffers[i]] = inputs.get(i).data();
        }
        for (int i = 0; i < outputBuffers.length; i++) {
            buffers[outputBuffers[i]] = new float[Shapes.checkedSize("output", outputShapes[i])];
        }
        try {
            if (nanos == null) {
                for (Step s : steps) {
                    s.run(buffers);
                }
            } else {
                for (int i = 0; i < steps.size(); i++) {
                    long t0 = System.nanoTime();
                    steps.get(i).run(buffers);
                    nanos[i] += System.nanoTime() - t0;
                }
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (int i = 0; i < outputBuffers.length; i++) {
                out.put(outputNames.get(i), Tensor.of(buffers[outputBuffers[i]], outputShapes[i]));
            }
            return out;
        } finally {
            for (int b : inputBuffers) {
                buffers[b] = null;
            }
            for (int b : outputBuffers) {
                buffers[b] = null;
            }
        }
    }

    /** Plans the buffers and steps of {@code steps} over {@code g}, whose shapes are the ones to run. */
    static InferencePlan build(Backend cpu, Graph g, List<FusedNode> steps, Map<String, PackedConv> convs) {
        return new Builder(cpu, g, steps, convs).build();
    }

    /** The buffer assignment, made in one walk over the steps. */
    private static final class Builder {
        private final Backend cpu;
        private final Graph g;
        private final List<FusedNode> fused;
        private final Map<String, PackedConv> convs;
        private final List<Kind> kinds = new ArrayList<>();
        private final List<Integer> capacity = new ArrayList<>();
        private final List<float[]> constants = new ArrayList<>();
        /** Live values per buffer; a pooled buffer with none is free. */
        private final List<Integer> refs = new ArrayList<>();
        private final Map<String, Integer> bufferOf = new HashMap<>();
        private final Map<String, Integer> lastUse = new HashMap<>();
        private final Set<Integer> free = new HashSet<>();

        Builder(Backend cpu, Graph g, List<FusedNode> fused, Map<String, PackedConv> convs) {
            this.cpu = cpu;
            this.g = g;
            this.fused = fused;
            this.convs = convs;
        }

        InferencePlan build() {
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
            List<String> labels = new ArrayList<>();
            List<String> nodes = new ArrayList<>();
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
                boolean alias = PlanSteps.aliases(n) && in[0] >= 0 && kinds.get(in[0]) == Kind.POOLED;
                if (outputs.contains(out)) {
                    y = newBuffer(Kind.OUTPUT, size, null);
                    alias = false;
                } else if (alias) {
                    y = in[0];
                } else if (PlanSteps.inPlace(n, g) && dyingPooled(n.input(0), i)) {
                    y = in[0];
                } else {
                    y = take(size);
                }
                refs.set(y, refs.get(y) + 1);
                bufferOf.put(out, y);
                if (!alias) {
                    steps.add(PlanSteps.create(cpu, g, f, convs.get(n.name()), in, res, y));
                    labels.add(label(f));
                    nodes.add(n.name());
                }
                for (String v : new HashSet<>(reads(f))) {
                    if (lastUse.get(v) == i && !outputs.contains(v)) {
                        release(v);
                    }
                }
            }
            int[] outputBuffers = new int[g.outputs().size()];
            int[][] outputShapes = new int[outputBuffers.length][];
            for (int i = 0; i < outputBuffers.length; i++) {
                String name = g.outputs().get(i);
                Integer b = bufferOf.get(name);
                if (b == null || kinds.get(b) != Kind.OUTPUT) {
                    // An output that no step produces (an input or a weight passed through): copy it out.
                    int src = buffer(name);
                    int dst = newBuffer(Kind.OUTPUT, size(name), null);
                    int len = size(name);
                    steps.add(buf -> System.arraycopy(buf[src], 0, buf[dst], 0, len));
                    labels.add("copy " + name);
                    nodes.add("");
                    b = dst;
                }
                outputBuffers[i] = b;
                outputShapes[i] = g.shape(name);
            }
            float[][] buffers = new float[kinds.size()][];
            for (int b = 0; b < buffers.length; b++) {
                if (kinds.get(b) == Kind.POOLED) {
                    buffers[b] = new float[capacity.get(b)];
                } else if (kinds.get(b) == Kind.CONSTANT) {
                    buffers[b] = constants.get(b);
                }
            }
            return new InferencePlan(buffers, inputBuffers, List.copyOf(g.outputs()), outputBuffers, outputShapes,
                    List.copyOf(steps), List.copyOf(labels), List.copyOf(nodes));
        }

        /** E.g. {@code layer1.0.conv2 conv+add+clamp [1, 64, 56, 56]}. */
        private String label(FusedNode f) {
            Node n = f.node();
            StringBuilder sb = new StringBuilder(n.name()).append(' ').append(n.op().label());
            if (f.residual() != null) {
                sb.append("+add");
            }
            if (f.clampMin() != Float.NEGATIVE_INFINITY || f.clampMax() != Float.POSITIVE_INFINITY) {
                sb.append(f.clampMax() == Float.POSITIVE_INFINITY && f.clampMin() == 0f ? "+relu"
                        : f.clampMin() == 0f && f.clampMax() == 6f ? "+relu6" : "+clip");
            }
            return sb.append(' ').append(Shapes.format(g.shape(n.output()))).toString();
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

        /** The buffer of a value already produced, or a constant buffer for a weight read by a plain step. */
        private int buffer(String value) {
            Integer b = bufferOf.get(value);
            if (b == null) {
                Tensor t = g.initializer(value);
                if (t == null) {
                    throw new IllegalStateException("graph " + g.name() + ": value '" + value
                            + "' is read before it is computed");
                }
                b = newBuffer(Kind.CONSTANT, t.size(), t.data());
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

        private int newBuffer(Kind kind, int size, float[] data) {
            kinds.add(kind);
            capacity.add(size);
            constants.add(data);
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
