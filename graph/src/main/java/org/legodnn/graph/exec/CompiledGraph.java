package org.legodnn.graph.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.ValueInfo;
import org.legodnn.graph.quant.QuantizedConvs;
import org.legodnn.graph.transform.FoldBatchNorm;
import org.legodnn.graph.transform.FoldQuantizedWeights;
import org.legodnn.graph.transform.FuseEpilogues;
import org.legodnn.graph.transform.FusedNode;
import org.legodnn.kernels.Backends;
import org.legodnn.tensor.Tensor;

/**
 * A {@link Graph} lowered once for fast inference on a device, where {@link Interpreter} runs it op by op: the
 * one road that {@code run}, {@code bench}, LegoDNN serving and latency profiling take on every device.
 * Lowering is written once, here and in the rewrites it calls: the int8 weights of a QDQ model restored to floats
 * ({@link FoldQuantizedWeights}) except where the device runs the convolution in int8 ({@link QuantizedConvs}),
 * BatchNorm folded into the convolutions
 * ({@link FoldBatchNorm}), residual adds and activations folded into epilogues ({@link FuseEpilogues}), and, per
 * input shape, buffers planned like registers ({@link BufferPlan}). A device ({@link ExecutionDevice}) adds only
 * kernels: it prepares the constants once (on the CPU's SIMD device convolutions are packed for the matrix
 * kernel; on OpenCL weights are uploaded) and turns each buffer plan into steps. A call allocates only its
 * outputs.
 *
 * <p>Outputs equal the interpreter's up to float rounding (folding BatchNorm changes the order of the
 * arithmetic). Any number of threads may call at once, without a lock: a call takes a plan for its input
 * shapes from a pool and gives it back, so concurrent calls run on plans of their own (built on first need,
 * then reused). A new batch size costs one plan build; {@link #prepare} builds one ahead of the first call.
 *
 * <p>{@link #compile(Graph)} compiles for the CPU device that the ops use at that moment
 * ({@link Backends#current()}: SIMD, or scalar where the Vector API is absent). Graphs compiled on their own can
 * be {@link #join joined} into one without compiling anything again: what LegoDNN serves is its frame's segments
 * and the chosen descendants, each compiled once, joined per composition. Closing frees what the device holds
 * (nothing on the CPU; buffers and, unless joined, weights on OpenCL).
 */
public final class CompiledGraph implements AutoCloseable {

    /** A buffer plan and the device's plan made from it. */
    private record Planned(BufferPlan buffers, ExecutionDevice.Plan plan) {
    }

    private final ExecutionDevice device;
    private final Graph graph;
    private final Graph folded;
    private final List<FusedNode> steps;
    private final ExecutionDevice.Prepared prepared;
    /** Idle plans per input-shape key; a call takes one (or builds one) and returns it when done. */
    private final Map<String, Queue<Planned>> plans = new ConcurrentHashMap<>();
    /** Set by {@link #close}: a plan given back after it is freed at once instead of pooled. */
    private volatile boolean closed;

    private CompiledGraph(ExecutionDevice device, Graph graph, Graph folded, List<FusedNode> steps,
                          ExecutionDevice.Prepared prepared) {
        this.device = device;
        this.graph = graph;
        this.folded = folded;
        this.steps = steps;
        this.prepared = prepared;
    }

    /** Lowers {@code graph} for the CPU device in use now; plans are built on first use of each input shape. */
    public static CompiledGraph compile(Graph graph) {
        return compile(graph, CpuExecution.current());
    }

    /**
     * Lowers {@code graph} for {@code device} and prepares its constants there.
     *
     * @throws UnsupportedOperationException naming the first node the device cannot run
     */
    public static CompiledGraph compile(Graph graph, ExecutionDevice device) {
        Map<String, QuantizedConvs.QuantizedConv> int8 = device.runsInt8Convs() ? QuantizedConvs.find(graph) : Map.of();
        Graph folded = QuantizedConvs.readUnquantized(FoldBatchNorm.apply(FoldQuantizedWeights.apply(graph)), int8);
        List<FusedNode> steps = FuseEpilogues.apply(folded);
        return new CompiledGraph(device, graph, folded, steps, device.prepare(folded, steps, int8));
    }

    /**
     * One compiled graph made of {@code pieces} run in order, whose folded weights and prepared constants it
     * shares: nothing is folded, fused, packed or uploaded again, only buffers are planned (per input shape, on
     * first use). The pieces' values connect by name: each piece reads the joined graph's inputs or values that
     * earlier pieces compute, and every value is computed once. Fusion does not cross pieces (a convolution at
     * the end of one and the add that follows it in the next run as two steps). Closing the joined graph frees
     * only its plans; the pieces keep their constants.
     *
     * @param inputs  the joined graph's inputs (a piece may read them)
     * @param outputs values that pieces compute, the joined graph's outputs in order
     * @throws IllegalArgumentException when the pieces were compiled for different devices
     */
    public static CompiledGraph join(String name, List<ValueInfo> inputs, List<String> outputs,
                                     List<CompiledGraph> pieces) {
        if (pieces.isEmpty()) {
            throw new IllegalArgumentException("CompiledGraph.join: no pieces for " + name);
        }
        List<Node> nodes = new ArrayList<>();
        Map<String, Tensor> weights = new LinkedHashMap<>();
        List<FusedNode> steps = new ArrayList<>();
        List<ExecutionDevice.Prepared> prepared = new ArrayList<>();
        ExecutionDevice device = pieces.get(0).device;
        for (CompiledGraph p : pieces) {
            if (p.device != device) {
                throw new IllegalArgumentException("CompiledGraph.join: pieces compiled for " + device.name()
                        + " and " + p.device.name());
            }
            nodes.addAll(p.folded.nodes());
            weights.putAll(p.folded.initializers());
            steps.addAll(p.steps);
            prepared.add(p.prepared);
        }
        Graph joined = new Graph(name, inputs, outputs, weights, nodes);
        return new CompiledGraph(device, joined, joined, List.copyOf(steps), device.join(prepared));
    }

    /**
     * Builds the plan for inputs of {@code shapes} (by graph input name) now, so that the first call with them
     * costs no more than the next.
     *
     * @return this compiled graph
     */
    public CompiledGraph prepare(Map<String, int[]> shapes) {
        Map<String, Tensor> zeros = new LinkedHashMap<>();
        for (ValueInfo in : graph.inputs()) {
            int[] s = shapes.get(in.name());
            if (s == null) {
                throw new IllegalArgumentException("graph " + graph.name() + ": no shape given for input '"
                        + in.name() + "'");
            }
            zeros.put(in.name(), Tensor.zeros(s));
        }
        List<Tensor> given = graph.orderedInputs(zeros);
        pool(key(given)).offer(planFor(given));
        return this;
    }

    /** The device it runs on. */
    public ExecutionDevice device() {
        return device;
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
        Queue<Planned> idle = pool(key);
        Planned planned = idle.poll();
        if (planned == null) {
            planned = planFor(given);
        }
        try {
            return planned.plan().run(given, null);
        } finally {
            idle.offer(planned);
            if (closed) {
                freePlans(); // a call that was running when the graph closed
            }
        }
    }

    /**
     * Where a call's time goes: runs {@code calls} times on {@code inputs} and returns, per step in order,
     * its label (node, op, what is fused into it, output shape) and its mean milliseconds per call.
     */
    public Map<String, Double> profile(Map<String, Tensor> inputs, int calls) {
        List<Tensor> given = ordered(inputs);
        Planned planned = planFor(given);
        try {
            List<BufferPlan.Step> s = planned.buffers().steps();
            long[] nanos = new long[s.size()];
            for (int c = 0; c < calls; c++) {
                planned.plan().run(given, nanos);
            }
            Map<String, Double> out = new LinkedHashMap<>();
            for (int i = 0; i < nanos.length; i++) {
                out.merge(s.get(i).label(), nanos[i] / 1e6 / Math.max(1, calls), Double::sum);
            }
            return out;
        } finally {
            planned.plan().close();
        }
    }

    /**
     * Every step of every call timed: per call, per step, milliseconds, with the node each step runs, so that a
     * caller attributes the time to parts of the graph (LegoDNN: to its blocks and its frame). Runs
     * {@code warmups} untimed calls first.
     */
    public StepTimes timeSteps(Map<String, Tensor> inputs, int warmups, int calls) {
        List<Tensor> given = ordered(inputs);
        Planned planned = planFor(given);
        try {
            ExecutionDevice.Plan plan = planned.plan();
            for (int c = 0; c < warmups; c++) {
                plan.run(given, null);
            }
            List<String> nodes = planned.buffers().steps().stream().map(BufferPlan.Step::nodeName).toList();
            double[][] ms = new double[calls][];
            long[] nanos = new long[nodes.size()];
            for (int c = 0; c < calls; c++) {
                Arrays.fill(nanos, 0);
                plan.run(given, nanos);
                ms[c] = new double[nanos.length];
                for (int k = 0; k < nanos.length; k++) {
                    ms[c][k] = nanos[k] / 1e6;
                }
            }
            return new StepTimes(nodes, ms);
        } finally {
            planned.plan().close();
        }
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
        return graph.orderedInputs(inputs);
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
    private Queue<Planned> pool(String key) {
        Queue<Planned> idle = plans.get(key);
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
    private Planned planFor(List<Tensor> given) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        boolean same = true;
        for (int i = 0; i < given.size(); i++) {
            ValueInfo in = folded.inputs().get(i);
            shapes.put(in.name(), given.get(i).shape());
            same &= Arrays.equals(in.shape(), given.get(i).shape());
        }
        Graph shaped = same ? folded : folded.withInputShapes(shapes);
        BufferPlan buffers = BufferPlan.build(shaped, steps, f -> device.runsInPlace(f, shaped));
        return new Planned(buffers, prepared.plan(buffers));
    }

    /**
     * Frees every plan's device buffers (a running call's when it returns) and what the device prepared for this
     * graph. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        freePlans();
        prepared.close();
    }

    private void freePlans() {
        for (Queue<Planned> idle : plans.values()) {
            for (Planned p; (p = idle.poll()) != null; ) {
                p.plan().close();
            }
        }
    }
}
