package org.legodnn.graph.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.graph.ValueInfo;
import org.legodnn.graph.transform.FoldBatchNorm;
import org.legodnn.graph.transform.FuseConvEpilogue;
import org.legodnn.graph.transform.FusedNode;
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
 * arithmetic). Calls on one compiled graph are serialized (they share the buffers); compile one per thread
 * to run in parallel. Plans are cached per input shape, so a new batch size costs one plan build.
 */
public final class CompiledGraph {

    private final Graph graph;
    private final Graph folded;
    private final List<FusedNode> steps;
    /** Per convolution node name, its prepared kernel (weights packed, epilogue clamp set). */
    private final Map<String, PackedConv> convs;
    private final Map<String, InferencePlan> plans = new HashMap<>();
    /** The plan of the previous call and its input shapes: repeated calls skip the lookup. */
    private InferencePlan lastPlan;
    private int[][] lastShapes;

    private CompiledGraph(Graph graph, Graph folded, List<FusedNode> steps, Map<String, PackedConv> convs) {
        this.graph = graph;
        this.folded = folded;
        this.steps = steps;
        this.convs = convs;
    }

    /** Folds, fuses and packs {@code graph}; plans are built on first use of each input shape. */
    public static CompiledGraph compile(Graph graph) {
        Graph folded = FoldBatchNorm.apply(graph);
        List<FusedNode> steps = FuseConvEpilogue.apply(folded);
        Map<String, PackedConv> convs = new HashMap<>();
        for (FusedNode s : steps) {
            PackedConv pc = pack(folded, s);
            if (pc != null) {
                convs.put(s.node().name(), pc);
            }
        }
        return new CompiledGraph(graph, folded, steps, convs);
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
        return plan(given).run(given, null);
    }

    /**
     * Where a call's time goes: runs {@code calls} times on {@code inputs} and returns, per step in order,
     * its label (node, op, what is fused into it, output shape) and its mean milliseconds per call.
     */
    public Map<String, Double> profile(Map<String, Tensor> inputs, int calls) {
        List<Tensor> given = ordered(inputs);
        InferencePlan plan = plan(given);
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

    /** The plan for the shapes of {@code given}, built on first use. */
    private synchronized InferencePlan plan(List<Tensor> given) {
        if (lastPlan != null && sameShapes(given)) {
            return lastPlan;
        }
        lastShapes = new int[given.size()][];
        for (int i = 0; i < given.size(); i++) {
            lastShapes[i] = given.get(i).shape();
        }
        lastPlan = planFor(given);
        return lastPlan;
    }

    private boolean sameShapes(List<Tensor> given) {
        for (int i = 0; i < given.size(); i++) {
            if (!given.get(i).sameShape(lastShapes[i])) {
                return false;
            }
        }
        return true;
    }

    private InferencePlan planFor(List<Tensor> given) {
        StringBuilder key = new StringBuilder();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        for (int i = 0; i < given.size(); i++) {
            int[] s = given.get(i).shape();
            shapes.put(graph.inputs().get(i).name(), s);
            key.append(Arrays.toString(s));
        }
        return plans.computeIfAbsent(key.toString(), k -> {
            boolean same = true;
            for (ValueInfo in : folded.inputs()) {
                same &= Arrays.equals(in.shape(), shapes.get(in.name()));
            }
            Graph shaped = same ? folded : folded.withInputShapes(shapes);
            return InferencePlan.build(shaped, steps, convs);
        });
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
