package org.legodnn.graph.exec.opencl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.graph.ShapeInference;
import org.legodnn.graph.ValueInfo;
import org.legodnn.graph.exec.ResizeAxis;
import org.legodnn.graph.transform.BatchNormAffine;
import org.legodnn.graph.transform.FoldBatchNorm;
import org.legodnn.kernels.ConvGeometry;
import org.legodnn.kernels.opencl.Clamp;
import org.legodnn.kernels.opencl.DeviceBuffer;
import org.legodnn.kernels.opencl.OpenClKernels;
import org.legodnn.kernels.opencl.Pool2dShape;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * Turns a graph with concrete shapes into a {@link Plan}: one {@link Step} per node, except that a
 * convolution absorbs the residual add and ReLU/ReLU6 after it (each when it is the only reader of the value
 * before it), an add or a Gemm absorbs the activation after it, and Flatten, Reshape and Identity cost nothing
 * (their output shares the input's buffer). BatchNorms after convolutions are expected folded already
 * ({@link FoldBatchNorm}, as {@link OpenClInterpreter} does once per model); one left over runs as a
 * per-channel affine map ({@link BatchNormAffine}). A node that the OpenCL backend cannot run fails here,
 * naming the node and the op, before anything runs: there is no silent fallback to the CPU.
 */
final class Planner {

    private final Graph graph;
    private final DeviceWeights weights;
    private final Map<String, Operand> values = new HashMap<>();
    private final Set<Node> absorbed = new HashSet<>();
    private final List<Step> steps = new ArrayList<>();
    private int slots;

    private Planner(Graph graph, DeviceWeights weights) {
        this.graph = graph;
        this.weights = weights;
    }

    /** The plan for {@code graph} (whose shapes are the run's), uploading constants into {@code weights}. */
    static Plan plan(Graph graph, DeviceWeights weights) {
        return new Planner(graph, weights).build();
    }

    private Plan build() {
        Map<String, Integer> inputs = new LinkedHashMap<>();
        for (ValueInfo in : graph.inputs()) {
            int slot = slots++;
            inputs.put(in.name(), slot);
            values.put(in.name(), Operand.slot(slot));
        }
        for (Node n : graph.nodes()) {
            if (!absorbed.contains(n)) {
                plan(n);
            }
        }
        Map<String, Operand> outputs = new LinkedHashMap<>();
        Map<String, int[]> outputShapes = new LinkedHashMap<>();
        for (String out : graph.outputs()) {
            outputs.put(out, operand(out));
            outputShapes.put(out, graph.shape(out));
        }
        return new Plan(List.copyOf(steps), inputs, outputs, outputShapes, slots, releases(outputs));
    }

    /** For each step, the slots it reads for the last time (graph outputs are kept). */
    private int[][] releases(Map<String, Operand> outputs) {
        int[] last = new int[slots];
        Arrays.fill(last, -1);
        for (int i = 0; i < steps.size(); i++) {
            for (Operand o : steps.get(i).inputs()) {
                if (o != null && !o.isConstant()) {
                    last[o.slot()] = i;
                }
            }
            // A result nobody reads is given back right after it is computed.
            last[steps.get(i).output()] = Math.max(last[steps.get(i).output()], i);
        }
        for (Operand o : outputs.values()) {
            if (!o.isConstant()) {
                last[o.slot()] = Integer.MAX_VALUE;
            }
        }
        List<List<Integer>> perStep = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            perStep.add(new ArrayList<>());
        }
        for (int s = 0; s < slots; s++) {
            if (last[s] >= 0 && last[s] < steps.size()) {
                perStep.get(last[s]).add(s);
            }
        }
        int[][] out = new int[steps.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = perStep.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    // ---- nodes --------------------------------------------------------------------------------------------

    private void plan(Node n) {
        switch (n.op()) {
            case CONV -> conv(n);
            case BATCH_NORM -> batchNorm(n);
            case RELU, CLIP -> {
                Clamp c = clampOf(n);
                Fused f = fuseClamp(n, n.output(), c);
                emit(f.output, slot -> new ActivationStep(f.label, f.clamp, null, 0, 0, count(n.output()),
                        operand(n.input(0)), slot));
            }
            case LEAKY_RELU -> unary(n, OpenClKernels.Unary.LEAKY_RELU, n.attrs(Attrs.LeakyRelu.class).alpha(), 0);
            case SIGMOID -> unary(n, OpenClKernels.Unary.SIGMOID, 0, 0);
            case HARD_SIGMOID -> {
                Attrs.HardSigmoid h = n.attrs(Attrs.HardSigmoid.class);
                unary(n, OpenClKernels.Unary.HARD_SIGMOID, h.alpha(), h.beta());
            }
            case HARD_SWISH -> unary(n, OpenClKernels.Unary.HARD_SWISH, 0, 0);
            case ADD, SUB, MUL, DIV -> binary(n);
            case IDENTITY, FLATTEN, RESHAPE -> values.put(n.output(), operand(n.input(0)));
            case MAX_POOL, AVG_POOL -> pool(n);
            case GLOBAL_AVG_POOL -> {
                int[] s = shape(n.input(0));
                int planes = s[0] * s[1];
                int hw = (int) (Shapes.size(s) / Math.max(1, planes));
                emit(n.output(), slot -> new PoolStep(label(n), PoolStep.Kind.GLOBAL_AVG, null, false, planes, hw,
                        operand(n.input(0)), slot));
            }
            case GEMM -> gemm(n);
            case MATMUL -> matmul(n);
            case CONCAT -> concat(n);
            case RESIZE -> resize(n);
            default -> throw unsupported(n, "");
        }
    }

    private void conv(Node n) {
        Attrs.Conv a = n.attrs(Attrs.Conv.class);
        if (!a.symmetricPads()) {
            throw unsupported(n, " with asymmetric padding " + a);
        }
        int[] xs = shape(n.input(0));
        Tensor w = constant(n, 1, "weight");
        Tensor b = n.input(2) == null || n.input(2).isEmpty() ? null : constant(n, 2, "bias");
        ConvGeometry g = new ConvGeometry(xs[0], xs[1], xs[2], xs[3], w.dim(0), w.dim(2), w.dim(3), a.strideH(),
                a.strideW(), a.padTop(), a.padLeft(), a.dilationH(), a.dilationW(), a.groups());
        String tail = n.output();
        StringBuilder label = new StringBuilder(label(n));
        DeviceBuffer weight = weights.get(n.input(1), w::data);
        DeviceBuffer bias = b == null ? null : weights.get(n.input(2), b::data);
        Operand residual = null;
        Node add = soleConsumer(tail, Op.ADD);
        if (add != null) {
            String other = add.input(0).equals(tail) ? add.input(1) : add.input(0);
            if (!other.equals(tail) && Arrays.equals(shape(other), shape(add.output()))
                    && Arrays.equals(shape(tail), shape(add.output())) && availableBefore(other, n)) {
                residual = operand(other);
                absorbed.add(add);
                label.append('+').append(opLabel(add));
                tail = add.output();
            }
        }
        Fused f = fuseClamp(label.toString(), tail, Clamp.NONE);
        Operand res = residual;
        emit(f.output, slot -> new ConvStep(f.label, g, operand(n.input(0)), weight, bias, res, f.clamp, slot));
    }

    private void batchNorm(Node n) {
        if (!allConstant(n, 1, 4)) {
            throw unsupported(n, " with statistics that are computed, not constants");
        }
        int[] s = shape(n.input(0));
        int c = s[1];
        int hw = (int) (Shapes.size(s) / Math.max(1, (long) s[0] * c));
        BatchNormAffine affine = BatchNormAffine.of(graph, n);
        DeviceBuffer scale = weights.get("bn:" + n.name() + ":scale", affine::scale);
        DeviceBuffer shift = weights.get("bn:" + n.name() + ":shift", affine::shift);
        Fused f = fuseClamp(n, n.output(), Clamp.NONE);
        emit(f.output, slot -> new AffineStep(f.label, s[0], c, hw, operand(n.input(0)), scale, shift, f.clamp, slot));
    }

    private void unary(Node n, OpenClKernels.Unary op, float p0, float p1) {
        emit(n.output(), slot -> new ActivationStep(label(n), null, op, p0, p1, count(n.output()), operand(n.input(0)), slot));
    }

    private void binary(Node n) {
        int[] as = shape(n.input(0));
        int[] bs = shape(n.input(1));
        int[] out = shape(n.output());
        OpenClKernels.Binary op = OpenClKernels.Binary.valueOf(n.op().name());
        if (n.op() == Op.ADD && Arrays.equals(as, out) && Arrays.equals(bs, out)) {
            Fused f = fuseClamp(n, n.output(), Clamp.NONE);
            emit(f.output, slot -> new BinaryStep(f.label, op, out, null, null, f.clamp, operand(n.input(0)),
                    operand(n.input(1)), slot));
        } else {
            emit(n.output(), slot -> new BinaryStep(label(n), op, out, strides(as, out), strides(bs, out), Clamp.NONE,
                    operand(n.input(0)), operand(n.input(1)), slot));
        }
    }

    private void pool(Node n) {
        Attrs.Pool a = n.attrs(Attrs.Pool.class);
        int[] s = shape(n.input(0));
        if (s.length != 4) {
            throw unsupported(n, " on a rank-" + s.length + " input");
        }
        int oh = ShapeInference.poolOut(s[2], a.kernelH(), a.strideH(), a.padTop(), a.padBottom(), a.dilationH(), a.ceilMode());
        int ow = ShapeInference.poolOut(s[3], a.kernelW(), a.strideW(), a.padLeft(), a.padRight(), a.dilationW(), a.ceilMode());
        Pool2dShape p = new Pool2dShape(s[0], s[1], s[2], s[3], oh, ow, a.kernelH(), a.kernelW(), a.strideH(), a.strideW(),
                a.padTop(), a.padLeft(), a.padBottom(), a.padRight(), a.dilationH(), a.dilationW());
        PoolStep.Kind kind = n.op() == Op.MAX_POOL ? PoolStep.Kind.MAX : PoolStep.Kind.AVG;
        emit(n.output(), slot -> new PoolStep(label(n), kind, p, a.countIncludePad(), 0, 0, operand(n.input(0)), slot));
    }

    private void gemm(Node n) {
        Attrs.Gemm a = n.attrs(Attrs.Gemm.class);
        int[] as = shape(n.input(0));
        int[] bs = shape(n.input(1));
        if (as.length != 2 || bs.length != 2) {
            throw unsupported(n, " on operands of rank " + as.length + " and " + bs.length);
        }
        int m = a.transA() ? as[1] : as[0];
        int k = a.transA() ? as[0] : as[1];
        int cols = a.transB() ? bs[0] : bs[1];
        String cName = n.input(2);
        Operand c = cName == null || cName.isEmpty() || a.beta() == 0f ? null : operand(cName);
        int[] cStrides = c == null ? new int[] {0, 0} : strides(shape(cName), new int[] {m, cols});
        Fused f = fuseClamp(n, n.output(), Clamp.NONE);
        emit(f.output, slot -> new GemmStep(f.label, a.transA(), a.transB(), m, cols, k, a.alpha(), operand(n.input(0)),
                operand(n.input(1)), a.beta(), c, cStrides[0], cStrides[1], f.clamp, slot));
    }

    private void matmul(Node n) {
        int[] as = shape(n.input(0));
        int[] bs = shape(n.input(1));
        int[] a2 = as.length == 1 ? new int[] {1, as[0]} : as;
        int[] b2 = bs.length == 1 ? new int[] {bs[0], 1} : bs;
        int m = a2[a2.length - 2];
        int k = a2[a2.length - 1];
        int cols = b2[b2.length - 1];
        long aBatch = Shapes.size(Arrays.copyOf(a2, a2.length - 2));
        long bBatch = Shapes.size(Arrays.copyOf(b2, b2.length - 2));
        Operand a = operand(n.input(0));
        Operand b = operand(n.input(1));
        if (bBatch == 1) {
            // Every row of every batch of A times the one B: a single product of (aBatch·m) rows.
            int rows = (int) (aBatch * m);
            emit(n.output(), slot -> new GemmStep(label(n), false, false, rows, cols, k, 1f, a, b, 0f, null, 0, 0,
                    Clamp.NONE, slot));
        } else if (aBatch == 1 || Arrays.equals(Arrays.copyOf(a2, a2.length - 2), Arrays.copyOf(b2, b2.length - 2))) {
            int batch = (int) bBatch;
            int aStride = aBatch == 1 ? 0 : m * k;
            emit(n.output(), slot -> new MatMulStep(label(n), batch, m, cols, k, a, aStride, b, k * cols, slot));
        } else {
            throw unsupported(n, " with broadcast batch dimensions " + Shapes.format(as) + " x " + Shapes.format(bs));
        }
    }

    private void concat(Node n) {
        int axis = n.attrs(Attrs.Concat.class).axis();
        int[] out = shape(n.output());
        long outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= out[d];
        }
        long inner = Shapes.size(out) / Math.max(1, outer * out[axis]);
        List<Operand> parts = new ArrayList<>();
        int[] chunks = new int[n.inputs().size()];
        int[] offsets = new int[chunks.length];
        int offset = 0;
        for (int i = 0; i < chunks.length; i++) {
            parts.add(operand(n.input(i)));
            chunks[i] = (int) (shape(n.input(i))[axis] * inner);
            offsets[i] = offset;
            offset += chunks[i];
        }
        int row = offset;
        int outerRows = (int) outer;
        emit(n.output(), slot -> new ConcatStep(label(n), parts, outerRows, chunks, offsets, row, slot));
    }

    private void resize(Node n) {
        Attrs.Resize a = n.attrs(Attrs.Resize.class);
        int[] in = shape(n.input(0));
        int[] out = shape(n.output());
        int rank = in.length;
        for (int d = 0; d < rank - 2; d++) {
            if (in[d] != out[d]) {
                throw unsupported(n, " that changes dimension " + d + " (" + Shapes.format(in) + " to " + Shapes.format(out) + ")");
            }
        }
        int h = in[rank - 2];
        int w = in[rank - 1];
        int oh = out[rank - 2];
        int ow = out[rank - 1];
        double scaleH = a.scales() == null ? (double) oh / h : a.scales()[rank - 2];
        double scaleW = a.scales() == null ? (double) ow / w : a.scales()[rank - 1];
        ResizeAxis rows = ResizeAxis.of(a, h, oh, scaleH);
        ResizeAxis cols = ResizeAxis.of(a, w, ow, scaleW);
        int planes = (int) (Shapes.size(in) / Math.max(1, (long) h * w));
        emit(n.output(), slot -> new ResizeStep(label(n), planes, h, w, rows, cols, operand(n.input(0)), slot));
    }

    // ---- fusion -------------------------------------------------------------------------------------------

    /** Where a fused chain ends: its label, the clamp it applies and the value it produces. */
    private record Fused(String label, Clamp clamp, String output) {
    }

    private Fused fuseClamp(Node n, String value, Clamp before) {
        return fuseClamp(label(n), value, before);
    }

    /** Absorbs a ReLU or Clip that is the only reader of {@code value}. */
    private Fused fuseClamp(String label, String value, Clamp before) {
        Node act = soleConsumer(value, Op.RELU);
        if (act == null) {
            act = soleConsumer(value, Op.CLIP);
        }
        if (act == null) {
            return new Fused(label, before, value);
        }
        absorbed.add(act);
        return new Fused(label + "+" + opLabel(act), before.then(clampOf(act)), act.output());
    }

    private static Clamp clampOf(Node n) {
        if (n.op() == Op.RELU) {
            return Clamp.RELU;
        }
        Attrs.Clip c = n.attrs(Attrs.Clip.class);
        return new Clamp(c.min(), c.max());
    }

    /** The node of kind {@code op} that is the only reader of {@code value}, when the value is not an output. */
    private Node soleConsumer(String value, Op op) {
        if (graph.outputs().contains(value)) {
            return null;
        }
        List<Node> readers = graph.consumers(value);
        if (readers.size() != 1 || readers.get(0).op() != op || absorbed.contains(readers.get(0))) {
            return null;
        }
        Node r = readers.get(0);
        // Ops whose other inputs are optional (Clip min/max as inputs) are only fused when they read just this value.
        return r.op() == Op.ADD || r.inputs().stream().filter(i -> !i.isEmpty()).count() == 1
                ? r : null;
    }

    /** Whether {@code value} exists before {@code node}'s step runs (so that the step may read it). */
    private boolean availableBefore(String value, Node node) {
        Node p = graph.producer(value);
        return p == null || p.index() < node.index();
    }

    private boolean allConstant(Node n, int from, int to) {
        for (int i = from; i <= to; i++) {
            if (n.input(i) == null || !graph.isInitializer(n.input(i))) {
                return false;
            }
        }
        return true;
    }

    // ---- values -------------------------------------------------------------------------------------------

    /** Registers a step that writes a new slot, which then holds {@code value}. */
    private void emit(String value, java.util.function.IntFunction<Step> step) {
        int slot = slots++;
        steps.add(step.apply(slot));
        values.put(value, Operand.slot(slot));
    }

    private Operand operand(String value) {
        Operand o = values.get(value);
        if (o == null) {
            Tensor t = graph.initializer(value);
            if (t == null) {
                throw new IllegalStateException("OpenCL plan of graph " + graph.name() + ": value '" + value
                        + "' is read before it is computed");
            }
            o = Operand.constant(weights.get(value, t::data));
            values.put(value, o);
        }
        return o;
    }

    private Tensor constant(Node n, int input, String what) {
        Tensor t = graph.initializer(n.input(input));
        if (t == null) {
            throw unsupported(n, " whose " + what + " is computed, not a constant");
        }
        return t;
    }

    private int[] shape(String value) {
        int[] s = graph.shape(value);
        if (s == null) {
            throw new IllegalStateException("OpenCL plan of graph " + graph.name() + ": no shape for value '" + value + "'");
        }
        return s;
    }

    private int count(String value) {
        return Math.toIntExact(Shapes.size(shape(value)));
    }

    /** Strides of {@code s} seen from the broadcast shape {@code out}: 0 where it repeats. */
    private static int[] strides(int[] s, int[] out) {
        int[] st = new int[out.length];
        int offset = out.length - s.length;
        int stride = 1;
        for (int d = s.length - 1; d >= 0; d--) {
            st[d + offset] = s[d] == 1 ? 0 : stride;
            stride *= s[d];
        }
        return st;
    }

    private static String label(Node n) {
        return n.modulePath().isEmpty() ? n.name() : n.modulePath() + "(" + n.op().label() + ")";
    }

    private static String opLabel(Node n) {
        return n.op().label();
    }

    private static UnsupportedOperationException unsupported(Node n, String detail) {
        return new UnsupportedOperationException("OpenCL: node '" + n.name() + "' (op " + n.op().label() + ")" + detail
                + " is not implemented on the OpenCL device");
    }
}
