package org.legodnn.graph.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.legodnn.graph.onnx.proto.OnnxProto.NodeProto;
import org.legodnn.graph.onnx.proto.OnnxProto.TensorProto;

/**
 * Evaluates, at import, the small integer computations that PyTorch's exporter emits around shapes —
 * {@code Shape → Gather → Unsqueeze → Concat → Reshape} for {@code x.view(x.size(0), -1)}, the
 * {@code ConstantOfShape … Slice … Cast} chain of {@code F.pad} — so that their results become the constant
 * settings of the engine's nodes. A node folds when all its inputs are constants, or (Shape) when the shape
 * of its input is fully known; otherwise the importer treats it as an ordinary op.
 */
final class OnnxConstantFolding {

    /** The ops this class evaluates. */
    static final Set<String> FOLDABLE = Set.of("Shape", "Gather", "Unsqueeze", "Squeeze", "Concat", "Slice", "Cast",
            "ConstantOfShape", "Reshape", "Transpose", "Add", "Sub", "Mul", "Div", "Identity", "Neg", "Range", "Floor",
            "Ceil", "Sqrt", "Equal", "Where");

    /** The most values a folded constant may have (shape computations hold a handful; masks a few million). */
    static final int MAX_VALUES = 1 << 24;

    private final NodeProto node;
    private final OnnxNodeImport.Context ctx;
    private final OnnxAttributes attrs;

    private OnnxConstantFolding(NodeProto node, OnnxNodeImport.Context ctx) {
        this.node = node;
        this.ctx = ctx;
        this.attrs = new OnnxAttributes(node, "opset " + ctx.opset());
    }

    /**
     * The node's output as a constant when it can be computed now, else null. {@code shapesExact} says
     * whether every value's shape is known (no open input dimension), which Shape needs.
     */
    static OnnxTensors.Constant tryFold(NodeProto node, OnnxNodeImport.Context ctx, boolean shapesExact) {
        if (!FOLDABLE.contains(node.getOpType()) || node.getOutputCount() != 1
                || !(node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx"))) {
            return null;
        }
        if (node.getOpType().equals("Shape")) {
            if (!shapesExact || ctx.shape(node.getInput(0)) == null) {
                return null;
            }
        } else {
            if (node.getInputCount() == 0) {
                return null;
            }
            for (String in : node.getInputList()) {
                if (!in.isEmpty() && ctx.constant(in) == null) {
                    return null;
                }
            }
        }
        OnnxConstantFolding f = new OnnxConstantFolding(node, ctx);
        try {
            return f.fold();
        } catch (IndexOutOfBoundsException | NullPointerException e) {
            // an index, axis or count that the inputs do not have (a malformed model): one line naming the node
            throw f.attrs.error("its constant inputs do not fit the op (" + e.getClass().getSimpleName() + ")");
        }
    }

    // ---- a small dense array of longs or floats ------------------------------------------------------------

    /** Values held as doubles while folding; {@code integral} remembers the element type. */
    private record Arr(int[] dims, double[] v, boolean integral) {
        static Arr of(OnnxTensors.Constant c) {
            double[] v = new double[c.size()];
            if (c.isFloat()) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = c.floats()[i];
                }
            } else {
                for (int i = 0; i < v.length; i++) {
                    v[i] = c.longs()[i];
                }
            }
            return new Arr(c.dims(), v, !c.isFloat());
        }

        OnnxTensors.Constant toConstant(String name) {
            if (integral) {
                long[] l = new long[v.length];
                for (int i = 0; i < l.length; i++) {
                    l[i] = (long) v[i];
                }
                return new OnnxTensors.Constant(name, dims, null, l);
            }
            float[] f = new float[v.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) v[i];
            }
            return new OnnxTensors.Constant(name, dims, f, null);
        }

        int rank() {
            return dims.length;
        }
    }

    private Arr in(int k) {
        if (k >= node.getInputCount() || node.getInput(k).isEmpty()) {
            return null;
        }
        return Arr.of(ctx.constant(node.getInput(k)));
    }

    private long[] longsIn(int k) {
        Arr a = in(k);
        if (a == null) {
            return null;
        }
        long[] l = new long[a.v().length];
        for (int i = 0; i < l.length; i++) {
            l[i] = (long) a.v()[i];
        }
        return l;
    }

    private static int[] strides(int[] dims) {
        int[] s = new int[dims.length];
        int stride = 1;
        for (int d = dims.length - 1; d >= 0; d--) {
            s[d] = stride;
            stride *= dims[d];
        }
        return s;
    }

    /**
     * The number of values of {@code dims}, checked: folding evaluates small shape computations, so a result
     * beyond {@link #MAX_VALUES} (or a negative dimension) is a malformed model, refused before allocating.
     */
    private int size(int[] dims) {
        long n = 1;
        for (int d : dims) {
            if (d < 0) {
                throw attrs.error("computes a constant of negative dimension " + Arrays.toString(dims));
            }
            n *= d;
            if (n > MAX_VALUES) {
                throw attrs.error("computes a constant of shape " + Arrays.toString(dims) + ", more than the "
                        + MAX_VALUES + " values that import-time evaluation allows");
            }
        }
        return (int) n;
    }

    private int axis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw attrs.error("axis " + axis + " is out of range for rank " + rank);
        }
        return (int) a;
    }

    // ---- the ops --------------------------------------------------------------------------------------------

    private OnnxTensors.Constant fold() {
        String out = node.getOutput(0);
        Arr r = switch (node.getOpType()) {
            case "Shape" -> shape();
            case "Gather" -> gather();
            case "Unsqueeze" -> unsqueeze();
            case "Squeeze" -> squeeze();
            case "Concat" -> concat();
            case "Slice" -> slice();
            case "Cast" -> cast();
            case "ConstantOfShape" -> constantOfShape();
            case "Reshape" -> reshape();
            case "Transpose" -> transpose();
            case "Add", "Sub", "Mul", "Div", "Equal" -> binary(node.getOpType());
            case "Identity" -> in(0);
            case "Neg" -> map(in(0), x -> -x);
            case "Floor" -> map(in(0), Math::floor);
            case "Ceil" -> map(in(0), Math::ceil);
            case "Sqrt" -> map(in(0), Math::sqrt);
            case "Range" -> range();
            case "Where" -> where();
            default -> throw attrs.error("cannot fold");
        };
        return r.toConstant(out);
    }

    private Arr shape() {
        int[] s = ctx.shape(node.getInput(0));
        int start = (int) attrs.i("start", 0);
        int end = (int) attrs.i("end", s.length);
        start = Math.max(0, Math.min(s.length, start < 0 ? start + s.length : start));
        end = Math.max(0, Math.min(s.length, end < 0 ? end + s.length : end));
        double[] v = new double[Math.max(0, end - start)];
        for (int i = 0; i < v.length; i++) {
            v[i] = s[start + i];
        }
        return new Arr(new int[] {v.length}, v, true);
    }

    private Arr gather() {
        Arr data = in(0);
        Arr idx = in(1);
        int axis = axis(attrs.i("axis", 0), data.rank());
        int outer = size(Arrays.copyOf(data.dims(), axis));
        int n = data.dims()[axis];
        int inner = size(Arrays.copyOfRange(data.dims(), axis + 1, data.rank()));
        int count = idx.v().length;
        double[] v = new double[size(new int[] {outer, count, inner})];
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < count; k++) {
                double raw = idx.v()[k];
                if (raw < -n || raw >= n) {
                    throw attrs.error("index " + raw + " is out of range for dimension " + n);
                }
                int j = (int) raw;
                if (j < 0) {
                    j += n;
                }
                System.arraycopy(data.v(), (o * n + j) * inner, v, (o * count + k) * inner, inner);
            }
        }
        int[] dims = new int[data.rank() - 1 + idx.rank()];
        System.arraycopy(data.dims(), 0, dims, 0, axis);
        System.arraycopy(idx.dims(), 0, dims, axis, idx.rank());
        System.arraycopy(data.dims(), axis + 1, dims, axis + idx.rank(), data.rank() - axis - 1);
        return new Arr(dims, v, data.integral());
    }

    private long[] axesInputOrAttr() {
        long[] axes = node.getInputCount() > 1 ? longsIn(1) : null;
        return axes != null ? axes : attrs.ints("axes");
    }

    private Arr unsqueeze() {
        Arr x = in(0);
        long[] axes = axesInputOrAttr();
        int rank = x.rank() + axes.length;
        boolean[] added = new boolean[rank];
        for (long a : axes) {
            added[axis(a, rank)] = true;
        }
        int[] dims = new int[rank];
        int k = 0;
        for (int d = 0; d < rank; d++) {
            dims[d] = added[d] ? 1 : x.dims()[k++];
        }
        return new Arr(dims, x.v(), x.integral());
    }

    private Arr squeeze() {
        Arr x = in(0);
        long[] axes = axesInputOrAttr();
        List<Integer> dims = new ArrayList<>();
        for (int d = 0; d < x.rank(); d++) {
            boolean drop = false;
            if (axes == null) {
                drop = x.dims()[d] == 1;
            } else {
                for (long a : axes) {
                    drop |= axis(a, x.rank()) == d;
                }
            }
            if (!drop) {
                dims.add(x.dims()[d]);
            }
        }
        return new Arr(dims.stream().mapToInt(Integer::intValue).toArray(), x.v(), x.integral());
    }

    private Arr concat() {
        List<Arr> parts = new ArrayList<>();
        for (int k = 0; k < node.getInputCount(); k++) {
            Arr a = in(k);
            if (a != null && a.v().length > 0 || a != null && parts.isEmpty()) {
                parts.add(a);
            }
        }
        int rank = parts.get(0).rank();
        int axis = axis(attrs.i("axis", 0), rank);
        int[] dims = parts.get(0).dims().clone();
        dims[axis] = 0;
        for (Arr p : parts) {
            dims[axis] += p.dims()[axis];
        }
        int outer = size(Arrays.copyOf(dims, axis));
        int inner = size(Arrays.copyOfRange(dims, axis + 1, rank));
        double[] v = new double[size(dims)];
        int at = 0;
        for (Arr p : parts) {
            int chunk = p.dims()[axis] * inner;
            for (int o = 0; o < outer; o++) {
                System.arraycopy(p.v(), o * chunk, v, o * dims[axis] * inner + at, chunk);
            }
            at += chunk;
        }
        return new Arr(dims, v, parts.get(0).integral());
    }

    private Arr slice() {
        Arr x = in(0);
        long[] starts = longsIn(1);
        long[] ends = longsIn(2);
        long[] axes = longsIn(3);
        long[] steps = longsIn(4);
        int rank = x.rank();
        long[] st = new long[rank];
        long[] step = new long[rank];
        int[] dims = x.dims().clone();
        for (int d = 0; d < rank; d++) {
            st[d] = 0;
            step[d] = 1;
        }
        for (int k = 0; k < starts.length; k++) {
            int d = axes == null ? k : axis(axes[k], rank);
            long n = x.dims()[d];
            long s = steps == null ? 1 : steps[k];
            if (s == 0) {
                throw attrs.error("slice step 0");
            }
            long b = starts[k] < 0 ? starts[k] + n : starts[k];
            long e = ends[k] < 0 ? ends[k] + n : ends[k];
            if (s > 0) {
                b = Math.max(0, Math.min(n, b));
                e = Math.max(0, Math.min(n, e));
                dims[d] = (int) Math.max(0, (e - b + s - 1) / s);
            } else {
                b = Math.max(-1, Math.min(n - 1, b));
                e = Math.max(-1, Math.min(n - 1, e));
                dims[d] = (int) Math.max(0, (b - e + (-s) - 1) / (-s));
            }
            st[d] = b;
            step[d] = s;
        }
        int[] inStrides = strides(x.dims());
        double[] v = new double[size(dims)];
        int[] idx = new int[rank];
        for (int i = 0; i < v.length; i++) {
            long off = 0;
            for (int d = 0; d < rank; d++) {
                off += (st[d] + idx[d] * step[d]) * inStrides[d];
            }
            v[i] = x.v()[(int) off];
            for (int d = rank - 1; d >= 0; d--) {
                if (++idx[d] < dims[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return new Arr(dims, v, x.integral());
    }

    private Arr cast() {
        Arr x = in(0);
        int to = (int) attrs.i("to", 0);
        boolean integral = switch (TensorProto.DataType.forNumber(to)) {
            case FLOAT, DOUBLE, FLOAT16 -> false;
            case INT64, INT32, INT16, INT8, UINT8, UINT16, UINT32, UINT64, BOOL -> true;
            default -> throw attrs.error("cast to type " + to + " is not supported");
        };
        if (integral && !x.integral()) {
            return map(new Arr(x.dims(), x.v(), true), d -> d < 0 ? Math.ceil(d) : Math.floor(d));
        }
        return new Arr(x.dims(), x.v(), integral);
    }

    private Arr constantOfShape() {
        long[] shape = longsIn(0);
        int[] dims = new int[shape.length];
        for (int d = 0; d < dims.length; d++) {
            if (shape[d] < 0 || shape[d] > MAX_VALUES) {
                throw attrs.error("shape " + Arrays.toString(shape) + " has a dimension outside 0.." + MAX_VALUES);
            }
            dims[d] = (int) shape[d];
        }
        double value = 0;
        boolean integral = false;
        if (attrs.has("value")) {
            Arr a = Arr.of(OnnxTensors.read(attrs.raw("value").getT()));
            if (a.v().length != 1) {
                throw attrs.error("value has " + a.v().length + " elements (expected one)");
            }
            value = a.v()[0];
            integral = a.integral();
        }
        double[] v = new double[size(dims)];
        Arrays.fill(v, value);
        return new Arr(dims, v, integral);
    }

    private Arr reshape() {
        Arr x = in(0);
        long[] shape = longsIn(1);
        int[] dims = new int[shape.length];
        int infer = -1;
        long known = 1;
        for (int d = 0; d < dims.length; d++) {
            if (shape[d] == -1 && infer < 0) {
                infer = d;
                continue;
            }
            if (shape[d] < 0 || shape[d] > MAX_VALUES) {
                throw attrs.error("cannot reshape to " + Arrays.toString(shape));
            }
            dims[d] = shape[d] == 0 && attrs.i("allowzero", 0) == 0 ? x.dims()[d] : (int) shape[d];
            known = (long) Math.min((double) known * dims[d], 0x1p40);
        }
        if (infer >= 0) {
            dims[infer] = known == 0 ? 0 : (int) (x.v().length / known);
        }
        if (size(dims) != x.v().length) {
            throw attrs.error("cannot reshape " + x.v().length + " values to " + Arrays.toString(dims));
        }
        return new Arr(dims, x.v(), x.integral());
    }

    private Arr transpose() {
        Arr x = in(0);
        int rank = x.rank();
        long[] perm = attrs.ints("perm");
        int[] p = new int[rank];
        for (int d = 0; d < rank; d++) {
            p[d] = perm == null ? rank - 1 - d : (int) perm[d];
        }
        int[] dims = new int[rank];
        for (int d = 0; d < rank; d++) {
            dims[d] = x.dims()[p[d]];
        }
        int[] inStrides = strides(x.dims());
        double[] v = new double[x.v().length];
        int[] idx = new int[rank];
        for (int i = 0; i < v.length; i++) {
            int off = 0;
            for (int d = 0; d < rank; d++) {
                off += idx[d] * inStrides[p[d]];
            }
            v[i] = x.v()[off];
            for (int d = rank - 1; d >= 0; d--) {
                if (++idx[d] < dims[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return new Arr(dims, v, x.integral());
    }

    private Arr binary(String op) {
        Arr a = in(0);
        Arr b = in(1);
        int rank = Math.max(a.rank(), b.rank());
        int[] dims = new int[rank];
        for (int d = 0; d < rank; d++) {
            int da = d < rank - a.rank() ? 1 : a.dims()[d - (rank - a.rank())];
            int db = d < rank - b.rank() ? 1 : b.dims()[d - (rank - b.rank())];
            if (da != db && da != 1 && db != 1) {
                throw attrs.error("shapes " + Arrays.toString(a.dims()) + " and " + Arrays.toString(b.dims())
                        + " do not broadcast");
            }
            dims[d] = Math.max(da, db);
        }
        boolean integral = a.integral() && b.integral();
        double[] v = new double[size(dims)];
        int[] idx = new int[rank];
        for (int i = 0; i < v.length; i++) {
            double x = a.v()[broadcastOffset(a.dims(), dims, idx)];
            double y = b.v()[broadcastOffset(b.dims(), dims, idx)];
            v[i] = switch (op) {
                case "Add" -> x + y;
                case "Sub" -> x - y;
                case "Mul" -> x * y;
                case "Equal" -> x == y ? 1 : 0;
                default -> integral ? (double) ((long) x / (long) y) : x / y;
            };
            for (int d = rank - 1; d >= 0; d--) {
                if (++idx[d] < dims[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return new Arr(dims, v, integral || op.equals("Equal"));
    }

    private static int broadcastOffset(int[] dims, int[] out, int[] idx) {
        int off = 0;
        int stride = 1;
        int shift = out.length - dims.length;
        for (int d = dims.length - 1; d >= 0; d--) {
            if (dims[d] != 1) {
                off += idx[d + shift] * stride;
            }
            stride *= dims[d];
        }
        return off;
    }

    private Arr map(Arr x, java.util.function.DoubleUnaryOperator f) {
        double[] v = new double[x.v().length];
        for (int i = 0; i < v.length; i++) {
            v[i] = f.applyAsDouble(x.v()[i]);
        }
        return new Arr(x.dims(), v, x.integral());
    }

    private Arr range() {
        Arr start = in(0);
        double s = start.v()[0];
        double limit = in(1).v()[0];
        double delta = in(2).v()[0];
        double count = Math.ceil((limit - s) / delta);
        if (!(count <= MAX_VALUES)) {
            throw attrs.error("Range(" + s + ", " + limit + ", " + delta + ") has " + count + " values (expected at most "
                    + MAX_VALUES + ")");
        }
        int n = (int) Math.max(0, count);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = s + i * delta;
        }
        return new Arr(new int[] {n}, v, start.integral());
    }

    private Arr where() {
        Arr c = in(0);
        Arr x = in(1);
        Arr y = in(2);
        if (!Arrays.equals(c.dims(), x.dims()) || !Arrays.equals(c.dims(), y.dims())) {
            throw attrs.error("Where is folded only for operands of one shape");
        }
        double[] v = new double[c.v().length];
        for (int i = 0; i < v.length; i++) {
            v[i] = c.v()[i] != 0 ? x.v()[i] : y.v()[i];
        }
        return new Arr(c.dims(), v, x.integral());
    }
}
