package org.legodnn.graph.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.graph.ValueInfo;
import org.legodnn.graph.transform.FoldBatchNorm;
import org.legodnn.graph.transform.FuseConvEpilogue;
import org.legodnn.graph.transform.FusedNode;
import org.legodnn.kernels.Backend;
import org.legodnn.kernels.Backends;
import org.legodnn.kernels.PackedConv;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * A {@link Graph} prepared once for fast inference on the CPU, where {@link Interpreter} runs it op by op:
 * BatchNorm folded into the convolutions ({@link FoldBatchNorm}), residual adds and ReLU/ReLU6 folded into
 * the convolutions' epilogues ({@link FuseConvEpilogue}), every convolution's weights packed once for the
 * matrix kernel ({@link PackedConv}), and, per input shape, an {@link InferencePlan} whose activation
 * buffers are allocated once and reused by every call. A call allocates only its outputs.
 *
 * <p>Outputs equal the interpreter's up to float rounding (folding BatchNorm changes the order of the
 * arithmetic). Any number of threads may call at once, without a lock: a call takes a plan for its input
 * shapes from a pool and gives it back, so concurrent calls run on plans of their own (built on first need,
 * then reused). A new batch size costs one plan build; {@link #prepare} builds one ahead of the first call.
 *
 * <p>A graph compiles for the CPU device that the ops use at that moment ({@link Backends#current()}): on the SIMD
 * device convolutions get packed kernels, on the scalar device ({@link Backends#scalar()}, where the Vector API
 * is absent) every step calls that device's kernels.
 *
 * <p>Graphs compiled on their own can be {@link #join joined} into one without compiling anything again: what
 * LegoDNN serves is its frame's segments and the chosen descendants, each compiled once, joined per composition.
 */
public final class CompiledGraph {

    private final Backend cpu;
    private final Graph graph;
    private final Graph folded;
    private final List<FusedNode> steps;
    /** Per convolution node name, its prepared kernel (weights packed, epilogue clamp set). */
    private final Map<String, PackedConv> convs;
    /** Idle plans per input-shape key; a call takes one (or builds one) and returns it when done. */
    private final Map<String, Queue<InferencePlan>> plans = new ConcurrentHashMap<>();

    private CompiledGraph(Backend cpu, Graph graph, Graph folded, List<FusedNode> steps, Map<String, PackedConv> convs) {
        this.cpu = cpu;
        this.graph = graph;
        this.folded = folded;
        this.steps = steps;
        this.convs = convs;
    }

    /** Folds, fuses and packs {@code graph}; plans are built on first use of each input shape. */
    public static CompiledGraph compile(Graph graph) {
        Backend cpu = Backends.current();
        Graph folded = FoldBatchNorm.apply(graph);
        List<FusedNode> steps = FuseConvEpilogue.apply(folded);
        Map<String, PackedConv> convs = new HashMap<>();
        for (FusedNode s : cpu.vectorized() ? steps : List.<FusedNode>of()) {
            PackedConv pc = pack(folded, s);
            if (pc != null) {
                convs.put(s.node().name(), pc);
            }
        }
        return new CompiledGraph(cpu, graph, folded, steps, convs);
    }

    /**
     * One compiled graph made of {@code pieces} run in order, whose folded weights and packed kernels it shares:
     * nothing is folded, fused or packed again, only buffers are planned (per input shape, on first use). The
     * pieces' values connect by name: each piece reads the joined graph's inputs or values that earlier pieces
     * compute, and every value is computed once. Fusion does not cross pieces (a convolution at the end of one
     * and the add that follows it in the next run as two steps).
     *
     * @param inputs  the joined graph's inputs (a piece may read them)
     * @param outputs values that pieces compute, the joined graph's outputs in order
     * @throws IllegalArgumentException when a piece reads a value nothing before it defines, or two define one
     */
    public static CompiledGraph join(String name, List<ValueInfo> inputs, List<String> outputs,
                                     List<CompiledGraph> pieces) {
        List<Node> nodes = new ArrayList<>();
        Map<String, Tensor> weights = new LinkedHashMap<>();
        List<FusedNode> steps = new ArrayList<>();
        Map<String, PackedConv> convs = new HashMap<>();
        Backend cpu = pieces.isEmpty() ? Backends.current() : pieces.get(0).cpu;
        for (CompiledGraph p : pieces) {
            if (p.cpu != cpu) {
                throw new IllegalArgumentException("CompiledGraph.join: pieces compiled for " + cpu.name() + " and "
                        + p.cpu.name());
            }
            nodes.addAll(p.folded.nodes());
            weights.putAll(p.folded.initializers());
            steps.addAll(p.steps);
            convs.putAll(p.convs);
        }
        Graph joined = new Graph(name, inputs, outputs, weights, nodes);
        return new CompiledGraph(cpu, joined, joined, List.copyOf(steps), convs);
    }

    /**
     * Builds the plan for inputs of {@code shapes} (by graph input name) now, so that the first call with them
     * costs no more than the next.
     *
     * @return this compiled graph
     */
    public CompiledGraph prepare(Map<String, int[]> shapes) {
        List<Tensor> given = new ArrayList<>(graph.inputs().size());
        for (ValueInfo in : graph.inputs()) {
            int[] s = shapes.get(in.name());
            if (s == null) {
                throw new IllegalArgumentException("graph " + graph.name() + ": no shape given for input '"
                        + in.name() + "'");
            }
            Tensor t = Tensor.zeros(s);
            checkShape(in, t);
            given.add(t);
        }
        String key = key(given);
        pool(key).offer(planFor(given));
        return this;
    }

    /** The graph this was compiled from. */
    public Graph graph() {
        return graph;
    }

    /** The steps that run, in order: the folded graph's nodes with the fused ones merged. */
    public List<FusedNode> steps() {
        return steps;
    }

    /**
     * Computes every graph output, by name in the graph's output order, from {@code inputs} (by graph input
     * name). Dimensions that the graph declares open (-1) may take any size; the others must match.
     */
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        List<Tensor> given = ordered(inputs);
        String key = key(given);
        Queue<InferencePlan> idle = pool(key);
        InferencePlan plan = idle.poll();
        if (plan == null) {
            plan = planFor(given);
        }
        try {
            return plan.run(given, null);
        } finally {
            idle.offer(plan);
        }
    }

    /**
     * Where a call's time goes: runs {@code calls} times on {@code inputs} and returns, per step in order,
     * its label (node, op, what is fused into it, output shape) and its mean milliseconds per call.
     */
    public Map<String, Double> profile(Map<String, Tensor> inputs, int calls) {
        List<Tensor> given = ordered(inputs);
        InferencePlan plan = planFor(given);
        long[] nanos = new long[plan.labels().size()];
        for (int c = 0; c < calls; c++) {
            plan.run(given, nanos);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < nanos.length; i++) {
            out.merge(plan.labels().get(i), nanos[i] / 1e6 / Math.max(1, calls), Double::sum);
        }
        return out;
    }

    /**
     * Every step of every call timed: per call, per step, milliseconds, with the node each step runs, so that a
     * caller attributes the time to parts of the graph (LegoDNN: to its blocks and its frame). Runs
     * {@code warmups} untimed calls first.
     */
    public StepTimes timeSteps(Map<String, Tensor> inputs, int warmups, int calls) {
        List<Tensor> given = ordered(inputs);
        InferencePlan plan = planFor(given);
        for (int c = 0; c < warmups; c++) {
            plan.run(given, null);
        }
        double[][] ms = new double[calls][];
        long[] nanos = new long[plan.nodes().size()];
        for (int c = 0; c < calls; c++) {
            Arrays.fill(nanos, 0);
            plan.run(given, nanos);
            ms[c] = new double[nanos.length];
            for (int k = 0; k < nanos.length; k++) {
                ms[c][k] = nanos[k] / 1e6;
            }
        }
        return new StepTimes(plan.nodes(), ms);
    }

    /**
     * What {@link #timeSteps} measured.
     *
     * @param nodes the node each step runs, in order ("" for the copy of an output)
     * @param ms    per call, per step, milliseconds
     */
    public record StepTimes(List<String> nodes, double[][] ms) {
    }

    /** The inputs in the graph's order, each checked against its declared shape. */
    private List<Tensor> ordered(Map<String, Tensor> inputs) {
        List<Tensor> given = new ArrayList<>(graph.inputs().size());
        for (ValueInfo in : graph.inputs()) {
            Tensor t = inputs.get(in.name());
            if (t == null) {
                throw new IllegalArgumentException("graph " + graph.name() + ": missing input '" + in.name() + "' "
                        + Shapes.format(in.shape()) + " (given " + inputs.keySet() + ")");
            }
            checkShape(in, t);
            given.add(t);
        }
        return given;
    }

    /** Runs a graph with one input and returns its first output. */
    public Tensor run(Tensor input) {
        if (graph.inputs().size() != 1) {
            throw new IllegalArgumentException("graph " + graph.name() + " has " + graph.inputs().size()
                    + " inputs " + graph.inputs() + "; pass them by name");
        }
        return run(Map.of(graph.inputs().get(0).name(), input)).get(graph.outputs().get(0));
    }

    /** The idle plans for input-shape key {@code key}. */
    private Queue<InferencePlan> pool(String key) {
        Queue<InferencePlan> idle = plans.get(key);
        return idle != null ? idle : plans.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>());
    }

    private static String key(List<Tensor> given) {
        if (given.size() == 1) {
            return Arrays.toString(given.get(0).shape());
        }
        StringBuilder key = new StringBuilder();
        for (Tensor t : given) {
            key.append(Arrays.toString(t.shape()));
        }
        return key.toString();
    }

    /** A new plan for the shapes of {@code given} (the caller owns it until it returns it to the pool). */
    private InferencePlan planFor(List<Tensor> given) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        boolean same = true;
        for (int i = 0; i < given.size(); i++) {
            ValueInfo in = folded.inputs().get(i);
            shapes.put(in.name(), given.get(i).shape());
            same &= Arrays.equals(in.shape(), given.get(i).shape());
        }
        Graph shaped = same ? folded : folded.withInputShapes(shapes);
        return InferencePlan.build(cpu, shaped, steps, convs);
    }

    /** The prepared kernel of a convolution whose weight and bias are initializers; null otherwise. */
    private static PackedConv pack(Graph g, FusedNode s) {
        Node n = s.node();
        if (n.op() != Op.CONV || !g.isInitializer(n.input(1))) {
            return null;
        }
        String biasName = n.input(2);
        boolean hasBias = biasName != null && !biasName.isEmpty();
        if (hasBias && !g.isInitializer(biasName)) {
            return null;
        }
        Tensor w = g.initializer(n.input(1));
        if (w.rank() != 4) {
            return null;
        }
        Attrs.Conv a = n.attrs(Attrs.Conv.class);
        return PackedConv.of(w.data(), w.dim(0), w.dim(1), w.dim(2), w.dim(3), a.groups(),
                hasBias ? g.initializer(biasName).data() : null, s.clampMin(), s.clampMax());
    }

    private void checkShape(ValueInfo in, Tensor t) {
        int[] declared = in.shape();
        boolean ok = declared.length == t.rank();
        for (int d = 0; ok && d < declared.length; d++) {
            ok = declared[d] < 0 || declared[d] == t.dim(d);
        }
        if (!ok) {
            throw new IllegalArgumentException("graph " + graph.name() + ": input '" + in.name() + "' has shape "
                    + Shapes.format(t.shape()) + ", the model expects " + Shapes.format(declared) + " (-1 = any)");
        }
    }
}
