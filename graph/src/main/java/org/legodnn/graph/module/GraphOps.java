package org.legodnn.graph.module;

import java.util.List;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Node;
import org.legodnn.graph.ShapeInference;
import org.legodnn.graph.exec.Interpreter;
import org.legodnn.tensor.Autograd;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/**
 * One node of a {@link GraphModule} on the differentiable ops of {@link Ops}, so that gradients flow and
 * BatchNorm trains as in PyTorch. What {@code Ops} cannot express (asymmetric pads, broadcasting, Pad,
 * Transpose, ...) runs on the interpreter's kernels, which are inference-only: in a pass that records
 * gradients such a node is an error naming it, rather than a silent break in the gradient.
 */
final class GraphOps {

    private GraphOps() {
    }

    static Tensor apply(Node n, List<Tensor> in, boolean training) {
        Tensor y = differentiable(n, in, training);
        if (y != null) {
            return y;
        }
        if (Autograd.isEnabled()) {
            for (Tensor t : in) {
                if (t != null && t.requiresGrad()) {
                    throw new IllegalStateException("GraphModule: node " + n.name() + " (" + n.op().label() + ", "
                            + n.attrs() + ") has no gradient in this engine; run the module under Autograd.noGrad()");
                }
            }
        }
        return Interpreter.compute(n, in);
    }

    /** The node on {@link Ops}, or null when Ops has no such op. */
    private static Tensor differentiable(Node n, List<Tensor> in, boolean training) {
        Tensor x = in.get(0);
        Tensor b = in.size() > 2 ? in.get(2) : null;
        switch (n.op()) {
            case CONV -> {
                Attrs.Conv a = n.attrs(Attrs.Conv.class);
                return a.symmetricPads() ? Ops.conv2d(x, in.get(1), b, a.strideH(), a.strideW(), a.padTop(), a.padLeft(),
                        a.dilationH(), a.dilationW(), a.groups()) : null;
            }
            case CONV_TRANSPOSE -> {
                Attrs.ConvTranspose a = n.attrs(Attrs.ConvTranspose.class);
                boolean square = a.strideH() == a.strideW() && a.dilationH() == a.dilationW() && a.outPadH() == a.outPadW()
                        && a.padTop() == a.padLeft() && a.padTop() == a.padBottom() && a.padTop() == a.padRight();
                return square ? Ops.convTranspose2d(x, in.get(1), b, a.strideH(), a.padTop(), a.outPadH(), a.dilationH(),
                        a.groups()) : null;
            }
            case BATCH_NORM -> {
                Attrs.BatchNorm a = n.attrs(Attrs.BatchNorm.class);
                return x.rank() == 4 ? Ops.batchNorm2d(x, in.get(1), in.get(2), in.get(3), in.get(4), training,
                        a.momentum(), a.eps()) : null;
            }
            case GEMM -> {
                return n.attrs(Attrs.Gemm.class).equals(Attrs.Gemm.LINEAR) && x.rank() == 2
                        && (b == null || b.rank() == 1) ? Ops.linear(x, in.get(1), b) : null;
            }
            case MATMUL -> {
                return x.rank() == 2 && in.get(1).rank() == 2 ? Ops.matmul(x, in.get(1)) : null;
            }
            case RELU -> {
                return Ops.relu(x);
            }
            case CLIP -> {
                return n.attrs(Attrs.Clip.class).isRelu6() ? Ops.relu6(x) : null;
            }
            case LEAKY_RELU -> {
                return Ops.leakyRelu(x, n.attrs(Attrs.LeakyRelu.class).alpha());
            }
            case IDENTITY -> {
                return x;
            }
            case ADD, SUB, MUL -> {
                Tensor other = in.get(1);
                if (n.op() == org.legodnn.graph.Op.MUL && other.size() == 1 && !other.requiresGrad()) {
                    return Ops.scale(x, other.data()[0]); // a product with a constant (TSN's average)
                }
                if (!x.sameShape(other.shape())) {
                    return null;
                }
                return switch (n.op()) {
                    case ADD -> Ops.add(x, other);
                    case SUB -> Ops.sub(x, other);
                    default -> Ops.mul(x, other);
                };
            }
            case CONCAT -> {
                return n.attrs(Attrs.Concat.class).axis() == 1 && x.rank() == 4 ? Ops.concat(in.toArray(new Tensor[0])) : null;
            }
            case MAX_POOL, AVG_POOL -> {
                Attrs.Pool a = n.attrs(Attrs.Pool.class);
                boolean square = a.kernelH() == a.kernelW() && a.strideH() == a.strideW() && a.dilationH() == 1
                        && a.dilationW() == 1 && a.padTop() == a.padLeft() && a.padTop() == a.padBottom()
                        && a.padTop() == a.padRight();
                if (!square) {
                    return null;
                }
                return n.op() == org.legodnn.graph.Op.MAX_POOL
                        ? Ops.maxPool2d(x, a.kernelH(), a.strideH(), a.padTop(), a.ceilMode())
                        : Ops.avgPool2d(x, a.kernelH(), a.strideH(), a.padTop(), a.ceilMode(), a.countIncludePad());
            }
            case GLOBAL_AVG_POOL -> {
                return x.rank() == 4 ? Ops.globalAvgPool(x) : null;
            }
            case FLATTEN, RESHAPE -> {
                return Ops.reshape(x, ShapeInference.outputShape(n, List.of(x.shape())));
            }
            case SOFTMAX -> {
                Attrs.Softmax a = n.attrs(Attrs.Softmax.class);
                return !a.flattenTail() || a.axis() == x.rank() - 1 ? Ops.softmax(x, a.axis()) : null;
            }
            case SIGMOID -> {
                return Ops.sigmoid(x);
            }
            case TANH -> {
                return Ops.tanh(x);
            }
            case EXP -> {
                return Ops.exp(x);
            }
            case SLICE -> {
                Attrs.Slice a = n.attrs(Attrs.Slice.class);
                return Ops.slice(x, a.axis(), a.start(), a.end(), a.step());
            }
            case RESIZE -> {
                return resize(n.attrs(Attrs.Resize.class), x);
            }
            default -> {
                return null;
            }
        }
    }

    private static Tensor resize(Attrs.Resize a, Tensor x) {
        if (x.rank() != 4) {
            return null;
        }
        int[] out = ShapeInference.outputShape(Node.of("resize", org.legodnn.graph.Op.RESIZE, a, List.of("x"),
                List.of("y"), ""), List.of(x.shape()));
        if (out[0] != x.dim(0) || out[1] != x.dim(1)) {
            return null;
        }
        if (a.mode() == Attrs.ResizeMode.NEAREST && a.coordinates() == Attrs.CoordinateMode.ASYMMETRIC
                && a.nearest() == Attrs.NearestMode.FLOOR && out[2] % x.dim(2) == 0
                && out[2] / x.dim(2) == out[3] / x.dim(3) && out[3] % x.dim(3) == 0) {
            return Ops.upsampleNearest(x, out[2] / x.dim(2));
        }
        boolean halfPixel = a.coordinates() == Attrs.CoordinateMode.HALF_PIXEL
                || (a.coordinates() == Attrs.CoordinateMode.PYTORCH_HALF_PIXEL && out[2] > 1 && out[3] > 1);
        if (a.mode() == Attrs.ResizeMode.LINEAR && halfPixel && (a.sizes() != null || integral(a.scales()))) {
            return Ops.upsampleBilinear(x, out[2], out[3]);
        }
        return null;
    }

    private static boolean integral(float[] scales) {
        for (float s : scales) {
            if (s != Math.rint(s)) {
                return false;
            }
        }
        return true;
    }
}
