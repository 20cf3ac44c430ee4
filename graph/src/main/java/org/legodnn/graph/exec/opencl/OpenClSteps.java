package org.legodnn.graph.exec.opencl;

import java.util.Arrays;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.graph.ShapeInference;
import org.legodnn.graph.exec.BufferPlan;
import org.legodnn.graph.exec.ResizeAxis;
import org.legodnn.graph.transform.BatchNormAffine;
import org.legodnn.graph.transform.FusedNode;
import org.legodnn.kernels.conv.ConvGeometry;
import org.legodnn.kernels.opencl.Clamp;
import org.legodnn.kernels.opencl.ConvTranspose2dShape;
import org.legodnn.kernels.opencl.DeviceBuffer;
import org.legodnn.kernels.opencl.OpenClKernels;
import org.legodnn.kernels.opencl.Pool2dShape;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * The OpenCL kernels by op: turns one step of a {@link BufferPlan} into launches over the plan's device buffers.
 * What was fused into a node (residual, clamp) is applied by its kernel. A node the OpenCL device cannot run
 * fails, naming the node and the op, when the graph is compiled ({@link #check}) or, for limits that depend on
 * shapes, when a plan is made, before anything runs: there is no silent fallback to the CPU.
 */
final class OpenClSteps {

    private OpenClSteps() {
    }

    /**
     * Fails, naming the node, when the device cannot run {@code f} whatever the input shapes.
     *
     * @throws UnsupportedOperationException naming the node and what is missing
     */
    static void check(Graph g, FusedNode f) {
        Node n = f.node();
        switch (n.op()) {
            case CONV -> {
                if (!n.attrs(Attrs.Conv.class).symmetricPads()) {
                    throw unsupported(n, " with asymmetric padding " + n.attrs(Attrs.Conv.class));
                }
                constant(g, n, 1, "weight");
                if (has(n, 2)) {
                    constant(g, n, 2, "bias");
                }
            }
            case CONV_TRANSPOSE -> {
                constant(g, n, 1, "weight");
                if (has(n, 2)) {
                    constant(g, n, 2, "bias");
                }
            }
            case BATCH_NORM -> {
                for (int i = 1; i <= 4; i++) {
                    if (!has(n, i) || !g.isInitializer(n.input(i))) {
                        throw unsupported(n, " with statistics that are computed, not constants");
                    }
                }
            }
            case QUANTIZE_DEQUANTIZE -> {
                Attrs.Quantize q = n.attrs(Attrs.Quantize.class);
                if (q.perChannel() || q.type() == Attrs.QuantType.INT32) {
                    throw unsupported(n, " of an activation per channel or to int32 (one 8-bit scale runs)");
                }
            }
            case RELU, CLIP, LEAKY_RELU, SIGMOID, TANH, EXP, HARD_SIGMOID, HARD_SWISH, ADD, SUB, MUL, DIV, IDENTITY,
                 FLATTEN, RESHAPE, MAX_POOL, AVG_POOL, GLOBAL_AVG_POOL, GEMM, MATMUL, CONCAT, RESIZE, SLICE, SOFTMAX -> {
                // Runs; shape limits are checked when planned.
            }
            default -> throw unsupported(n, "");
        }
    }

    /**
     * The step that computes {@code s} on buffers of {@code plan}; derived constants (a lone BatchNorm's
     * scale and shift) come from {@code weights}.
     */
    static Step create(BufferPlan plan, BufferPlan.Step s, DeviceWeights weights) {
        Graph g = plan.graph();
        FusedNode f = s.node();
        Node n = f.node();
        int[] in = s.inputs();
        int y = s.output();
        Clamp clamp = new Clamp(f.clampMin(), f.clampMax());
        int count = Math.toIntExact(Shapes.size(g.shape(n.output())));
        return switch (n.op()) {
            case CONV -> conv(g, n, in, s.residual(), clamp, y);
            case CONV_TRANSPOSE -> convTranspose(g, n, in, y);
            case BATCH_NORM -> {
                int[] xs = g.shape(n.input(0));
                int hw = (int) (Shapes.size(xs) / Math.max(1, (long) xs[0] * xs[1]));
                BatchNormAffine affine = BatchNormAffine.of(g, n);
                DeviceBuffer scale = weights.get("bn:" + n.name() + ":scale", affine::scale);
                DeviceBuffer shift = weights.get("bn:" + n.name() + ":shift", affine::shift);
                yield new AffineStep(xs[0], xs[1], hw, in[0], scale, shift, clamp, y);
            }
            case RELU -> new ActivationStep(Clamp.RELU.then(clamp), null, 0, 0, count, in[0], y);
            case CLIP -> {
                Attrs.Clip c = n.attrs(Attrs.Clip.class);
                yield new ActivationStep(new Clamp(c.min(), c.max()).then(clamp), null, 0, 0, count, in[0], y);
            }
            case LEAKY_RELU -> new ActivationStep(null, OpenClKernels.Unary.LEAKY_RELU,
                    n.attrs(Attrs.LeakyRelu.class).alpha(), 0, count, in[0], y);
            case SIGMOID -> new ActivationStep(null, OpenClKernels.Unary.SIGMOID, 0, 0, count, in[0], y);
            case TANH -> new ActivationStep(null, OpenClKernels.Unary.TANH, 0, 0, count, in[0], y);
            case EXP -> new ActivationStep(null, OpenClKernels.Unary.EXP, 0, 0, count, in[0], y);
            case HARD_SIGMOID -> {
                Attrs.HardSigmoid h = n.attrs(Attrs.HardSigmoid.class);
                yield new ActivationStep(null, OpenClKernels.Unary.HARD_SIGMOID, h.alpha(), h.beta(), count, in[0], y);
            }
            case HARD_SWISH -> new ActivationStep(null, OpenClKernels.Unary.HARD_SWISH, 0, 0, count, in[0], y);
            case ADD, SUB, MUL, DIV -> binary(g, f, in, clamp, y);
            case IDENTITY, FLATTEN, RESHAPE -> (kernels, b) -> kernels.device().copy(b[in[0]], 0, b[y], 0, count);
            case MAX_POOL, AVG_POOL -> pool(g, n, in[0], y);
            case GLOBAL_AVG_POOL -> {
                int[] xs = g.shape(n.input(0));
                int planes = xs[0] * xs[1];
                yield new PoolStep(PoolStep.Kind.GLOBAL_AVG, null, false, planes,
                        (int) (Shapes.size(xs) / Math.max(1, planes)), in[0], y);
            }
            case GEMM -> gemm(g, n, in, clamp, y);
            case MATMUL -> matmul(g, n, in, y);
            case CONCAT -> concat(g, n, in, y);
            case RESIZE -> resize(g, n, in[0], y);
            case SLICE -> slice(g, n, in[0], y);
            case SOFTMAX -> softmax(g, n, in[0], y);
            case QUANTIZE_DEQUANTIZE -> {
                Attrs.Quantize q = n.attrs(Attrs.Quantize.class);
                float scale = q.scales()[0];
                int zp = q.zeroPoints()[0];
                Attrs.QuantType type = q.type();
                yield (kernels, b) -> kernels.fakeQuantize(count, b[in[0]], scale, zp, type.min(), type.max(), b[y]);
            }
            default -> throw unsupported(n, "");
        };
    }

    private static Step conv(Graph g, Node n, int[] in, int residual, Clamp clamp, int y) {
        Attrs.Conv a = n.attrs(Attrs.Conv.class);
        int[] xs = g.shape(n.input(0));
        Tensor w = constant(g, n, 1, "weight");
        if (xs.length != 4) {
            throw unsupported(n, " on a rank-" + xs.length + " input");
        }
        ConvGeometry geo = new ConvGeometry(xs[0], xs[1], xs[2], xs[3], w.dim(0), w.dim(2), w.dim(3), a.strideH(),
                a.strideW(), a.padTop(), a.padLeft(), a.dilationH(), a.dilationW(), a.groups());
        return new ConvStep(geo, in[0], in[1], in.length > 2 ? in[2] : -1, residual, clamp, y);
    }

    private static Step convTranspose(Graph g, Node n, int[] in, int y) {
        Attrs.ConvTranspose a = n.attrs(Attrs.ConvTranspose.class);
        int[] xs = g.shape(n.input(0));
        int[] out = g.shape(n.output());
        Tensor w = constant(g, n, 1, "weight");
        if (xs.length != 4) {
            throw unsupported(n, " on a rank-" + xs.length + " input");
        }
        ConvTranspose2dShape shape = new ConvTranspose2dShape(xs[0], xs[1], xs[2], xs[3], out[1], out[2], out[3],
                w.dim(2), w.dim(3), a.strideH(), a.strideW(), a.padTop(), a.padLeft(), a.dilationH(), a.dilationW(),
                a.groups());
        return new ConvTransposeStep(shape, in[0], in[1], in.length > 2 ? in[2] : -1, y);
    }

    private static Step binary(Graph g, FusedNode f, int[] in, Clamp clamp, int y) {
        Node n = f.node();
        int[] as = g.shape(n.input(0));
        int[] bs = g.shape(n.input(1));
        int[] out = g.shape(n.output());
        OpenClKernels.Binary op = OpenClKernels.Binary.valueOf(n.op().name());
        if (n.op() == Op.ADD && Arrays.equals(as, out) && Arrays.equals(bs, out)) {
            return new BinaryStep(op, out, null, null, clamp, in[0], in[1], y);
        }
        return new BinaryStep(op, out, Shapes.broadcastStrides(as, out), Shapes.broadcastStrides(bs, out), Clamp.NONE, in[0], in[1], y);
    }

    private static Step pool(Graph g, Node n, int x, int y) {
        Attrs.Pool a = n.attrs(Attrs.Pool.class);
        int[] s = g.shape(n.input(0));
        if (s.length != 4) {
            throw unsupported(n, " on a rank-" + s.length + " input");
        }
        int oh = ShapeInference.poolOut(s[2], a.kernelH(), a.strideH(), a.padTop(), a.padBottom(), a.dilationH(),
                a.ceilMode());
        int ow = ShapeInference.poolOut(s[3], a.kernelW(), a.strideW(), a.padLeft(), a.padRight(), a.dilationW(),
                a.ceilMode());
        Pool2dShape p = new Pool2dShape(s[0], s[1], s[2], s[3], oh, ow, a.kernelH(), a.kernelW(), a.strideH(),
                a.strideW(), a.padTop(), a.padLeft(), a.padBottom(), a.padRight(), a.dilationH(), a.dilationW());
        PoolStep.Kind kind = n.op() == Op.MAX_POOL ? PoolStep.Kind.MAX : PoolStep.Kind.AVG;
        return new PoolStep(kind, p, a.countIncludePad(), 0, 0, x, y);
    }

    private static Step gemm(Graph g, Node n, int[] in, Clamp clamp, int y) {
        Attrs.Gemm a = n.attrs(Attrs.Gemm.class);
        int[] as = g.shape(n.input(0));
        int[] bs = g.shape(n.input(1));
        if (as.length != 2 || bs.length != 2) {
            throw unsupported(n, " on operands of rank " + as.length + " and " + bs.length);
        }
        int m = a.transA() ? as[1] : as[0];
        int k = a.transA() ? as[0] : as[1];
        int cols = a.transB() ? bs[0] : bs[1];
        int c = in.length > 2 && a.beta() != 0f ? in[2] : -1;
        int[] cStrides = c < 0 ? new int[] {0, 0} : Shapes.broadcastStrides(g.shape(n.input(2)), new int[] {m, cols});
        return new GemmStep(a.transA(), a.transB(), m, cols, k, a.alpha(), in[0], in[1], a.beta(), c, cStrides[0],
                cStrides[1], clamp, y);
    }

    private static Step matmul(Graph g, Node n, int[] in, int y) {
        int[] as = g.shape(n.input(0));
        int[] bs = g.shape(n.input(1));
        int[] a2 = as.length == 1 ? new int[] {1, as[0]} : as;
        int[] b2 = bs.length == 1 ? new int[] {bs[0], 1} : bs;
        int m = a2[a2.length - 2];
        int k = a2[a2.length - 1];
        int cols = b2[b2.length - 1];
        long aBatch = Shapes.size(Arrays.copyOf(a2, a2.length - 2));
        long bBatch = Shapes.size(Arrays.copyOf(b2, b2.length - 2));
        if (bBatch == 1) {
            // Every row of every batch of A times the one B: a single product of (aBatch·m) rows.
            return new GemmStep(false, false, (int) (aBatch * m), cols, k, 1f, in[0], in[1], 0f, -1, 0, 0, Clamp.NONE,
                    y);
        } else if (aBatch == 1 || Arrays.equals(Arrays.copyOf(a2, a2.length - 2), Arrays.copyOf(b2, b2.length - 2))) {
            return new MatMulStep((int) bBatch, m, cols, k, in[0], aBatch == 1 ? 0 : m * k, in[1], k * cols, y);
        }
        throw unsupported(n, " with broadcast batch dimensions " + Shapes.format(as) + " x " + Shapes.format(bs));
    }

    private static Step concat(Graph g, Node n, int[] in, int y) {
        int axis = n.attrs(Attrs.Concat.class).axis();
        int[] out = g.shape(n.output());
        long outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= out[d];
        }
        long inner = Shapes.size(out) / Math.max(1, outer * out[axis]);
        int[] chunks = new int[in.length];
        int[] offsets = new int[in.length];
        int offset = 0;
        for (int i = 0; i < in.length; i++) {
            chunks[i] = (int) (g.shape(n.input(i))[axis] * inner);
            offsets[i] = offset;
            offset += chunks[i];
        }
        return new ConcatStep(in.clone(), (int) outer, chunks, offsets, offset, y);
    }

    private static Step slice(Graph g, Node n, int x, int y) {
        Attrs.Slice a = n.attrs(Attrs.Slice.class);
        int[] s = g.shape(n.input(0));
        int dim = s[a.axis()];
        int outer = Math.toIntExact(Shapes.size(Arrays.copyOfRange(s, 0, a.axis())));
        int inner = Math.toIntExact(Shapes.size(Arrays.copyOfRange(s, a.axis() + 1, s.length)));
        int from = a.bounds(dim)[0];
        int len = a.length(dim);
        return (kernels, b) -> kernels.slice(outer, dim, inner, from, len, a.step(), b[x], b[y]);
    }

    /** Softmax along the axis, or (opset-11 meaning) over everything from the axis on as one row. */
    private static Step softmax(Graph g, Node n, int x, int y) {
        Attrs.Softmax a = n.attrs(Attrs.Softmax.class);
        int[] s = g.shape(n.input(0));
        int axis = Math.min(a.axis(), Math.max(0, s.length - 1));
        int outer = Math.toIntExact(Shapes.size(Arrays.copyOfRange(s, 0, axis)));
        int len = s.length == 0 ? 1 : a.flattenTail() ? Math.toIntExact(Shapes.size(Arrays.copyOfRange(s, axis, s.length)))
                : s[axis];
        int inner = a.flattenTail() || s.length == 0 ? 1 : Math.toIntExact(Shapes.size(Arrays.copyOfRange(s, axis + 1,
                s.length)));
        return (kernels, b) -> kernels.softmax(outer, len, inner, b[x], b[y]);
    }

    private static Step resize(Graph g, Node n, int x, int y) {
        Attrs.Resize a = n.attrs(Attrs.Resize.class);
        int[] in = g.shape(n.input(0));
        int[] out = g.shape(n.output());
        int rank = in.length;
        for (int d = 0; d < rank - 2; d++) {
            if (in[d] != out[d]) {
                throw unsupported(n, " that changes dimension " + d + " (" + Shapes.format(in) + " to "
                        + Shapes.format(out) + ")");
            }
        }
        int h = in[rank - 2];
        int w = in[rank - 1];
        int oh = out[rank - 2];
        int ow = out[rank - 1];
        double scaleH = a.scales() == null ? (double) oh / h : a.scales()[rank - 2];
        double scaleW = a.scales() == null ? (double) ow / w : a.scales()[rank - 1];
        int planes = (int) (Shapes.size(in) / Math.max(1, (long) h * w));
        return new ResizeStep(planes, h, w, ResizeAxis.of(a, h, oh, scaleH), ResizeAxis.of(a, w, ow, scaleW), x, y);
    }

    private static boolean has(Node n, int input) {
        return n.inputs().size() > input && n.input(input) != null && !n.input(input).isEmpty();
    }

    private static Tensor constant(Graph g, Node n, int input, String what) {
        Tensor t = g.initializer(n.input(input));
        if (t == null) {
            throw unsupported(n, " whose " + what + " is computed, not a constant");
        }
        return t;
    }

    private static UnsupportedOperationException unsupported(Node n, String detail) {
        return new UnsupportedOperationException("OpenCL: node '" + n.name() + "' (op " + n.op().label() + ")"
                + detail + " is not implemented on the OpenCL device");
    }
}
