package org.legodnn.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * The output shape of every op from its input shapes, so that a graph knows the shape of each value before
 * anything runs (for analyses, for {@code legodnn info}, and to catch a malformed model at load time with a
 * message naming the node). The interpreter's results must agree with it.
 */
public final class ShapeInference {

    /** The most values one tensor may hold: what one Java array can. */
    public static final int MAX_VALUES = Integer.MAX_VALUE - 8;

    private ShapeInference() {
    }

    /** Shapes of every value of {@code graph}, given the shapes of its inputs. */
    static Map<String, int[]> infer(Graph graph, Map<String, int[]> inputShapes) {
        Map<String, int[]> shapes = new HashMap<>(inputShapes);
        for (Map.Entry<String, Tensor> e : graph.initializers().entrySet()) {
            shapes.put(e.getKey(), e.getValue().shape());
        }
        for (Node n : graph.nodes()) {
            List<int[]> in = new ArrayList<>();
            for (String name : n.inputs()) {
                in.add(name.isEmpty() ? null : shapes.get(name));
            }
            shapes.put(n.output(), outputShape(n, in));
        }
        return shapes;
    }

    /** The shape of {@code node}'s output for inputs of the given shapes (null for an absent optional input). */
    public static int[] outputShape(Node node, List<int[]> in) {
        try {
            return checked(compute(node, in));
        } catch (IllegalArgumentException | IndexOutOfBoundsException | ArithmeticException e) {
            StringBuilder shapes = new StringBuilder();
            for (int[] s : in) {
                shapes.append(shapes.length() == 0 ? "" : ", ").append(s == null ? "-" : Shapes.format(s));
            }
            throw new IllegalArgumentException("node " + node.name() + " (" + node.op().label() + ") with inputs "
                    + shapes + ": " + e.getMessage(), e);
        }
    }

    /** {@code shape}, checked to have no negative dimension and at most {@link #MAX_VALUES} values. */
    private static int[] checked(int[] shape) {
        long n = 1;
        for (int d : shape) {
            require(d >= 0, "output shape " + Shapes.format(shape) + " has a negative dimension");
            n = (long) Math.min((double) n * d, 0x1p40);
        }
        require(n <= MAX_VALUES, "output shape " + Shapes.format(shape) + " has " + n + " values, more than one tensor"
                + " can hold (" + MAX_VALUES + ")");
        return shape;
    }

    private static int[] compute(Node node, List<int[]> in) {
        int[] x = in.get(0);
        switch (node.op()) {
            case CONV -> {
                Attrs.Conv a = node.attrs(Attrs.Conv.class);
                int[] w = in.get(1);
                require(x.length == 4 && w.length == 4, "conv needs a 4-D input and weight");
                require(x[1] == w[1] * a.groups(), "input has " + x[1] + " channels, weight expects " + w[1] * a.groups());
                return new int[] {x[0], w[0],
                    convOut(x[2], w[2], a.strideH(), a.padTop() + a.padBottom(), a.dilationH()),
                    convOut(x[3], w[3], a.strideW(), a.padLeft() + a.padRight(), a.dilationW())};
            }
            case CONV_TRANSPOSE -> {
                Attrs.ConvTranspose a = node.attrs(Attrs.ConvTranspose.class);
                int[] w = in.get(1);
                require(x.length == 4 && w.length == 4 && x[1] == w[0], "conv_transpose needs a 4-D input with "
                        + "weight [Cin, Cout/groups, kh, kw] of matching Cin");
                int oh = toInt((x[2] - 1L) * a.strideH() - a.padTop() - a.padBottom() + (long) a.dilationH() * (w[2] - 1)
                        + a.outPadH() + 1);
                int ow = toInt((x[3] - 1L) * a.strideW() - a.padLeft() - a.padRight() + (long) a.dilationW() * (w[3] - 1)
                        + a.outPadW() + 1);
                require(oh > 0 && ow > 0, "empty output " + oh + "x" + ow);
                return new int[] {x[0], w[1] * a.groups(), oh, ow};
            }
            case BATCH_NORM -> {
                require(x.length >= 2 && in.get(1)[0] == x[1], "batch_norm over " + x[1] + " channels with "
                        + Shapes.format(in.get(1)) + " parameters");
                return x.clone();
            }
            case RELU, CLIP, LEAKY_RELU, SIGMOID, TANH, EXP, HARD_SIGMOID, HARD_SWISH, IDENTITY, QUANTIZE_DEQUANTIZE -> {
                return x.clone();
            }
            case SOFTMAX -> {
                Attrs.Softmax a = node.attrs(Attrs.Softmax.class);
                require(a.axis() >= 0 && a.axis() < Math.max(1, x.length), "axis " + a.axis() + " out of range");
                return x.clone();
            }
            case SLICE -> {
                Attrs.Slice a = node.attrs(Attrs.Slice.class);
                require(a.axis() < x.length, "axis " + a.axis() + " out of range for rank " + x.length);
                int[] out = x.clone();
                out[a.axis()] = a.length(x[a.axis()]);
                return out;
            }
            case ADD, SUB, MUL, DIV -> {
                return broadcast(x, in.get(1));
            }
            case CONCAT -> {
                int axis = node.attrs(Attrs.Concat.class).axis();
                int[] out = x.clone();
                require(axis < out.length, "axis " + axis + " out of range");
                for (int i = 1; i < in.size(); i++) {
                    int[] s = in.get(i);
                    require(s.length == out.length, "inputs of different ranks");
                    for (int d = 0; d < s.length; d++) {
                        require(d == axis || s[d] == out[d], "inputs differ outside axis " + axis);
                    }
                    out[axis] = toInt((long) out[axis] + s[axis]);
                }
                return out;
            }
            case MAX_POOL, AVG_POOL -> {
                Attrs.Pool a = node.attrs(Attrs.Pool.class);
                require(x.length == 4, "pooling needs a 4-D input");
                return new int[] {x[0], x[1],
                    poolOut(x[2], a.kernelH(), a.strideH(), a.padTop(), a.padBottom(), a.dilationH(), a.ceilMode()),
                    poolOut(x[3], a.kernelW(), a.strideW(), a.padLeft(), a.padRight(), a.dilationW(), a.ceilMode())};
            }
            case GLOBAL_AVG_POOL -> {
                require(x.length >= 3, "global pooling needs a spatial input");
                int[] out = x.clone();
                for (int d = 2; d < out.length; d++) {
                    out[d] = 1;
                }
                return out;
            }
            case REDUCE_MEAN -> {
                return reduceMean(x, node.attrs(Attrs.ReduceMean.class));
            }
            case PAD -> {
                int[] pads = node.attrs(Attrs.Pad.class).pads();
                require(pads.length == 2 * x.length, "pads " + java.util.Arrays.toString(pads) + " for rank " + x.length);
                int[] out = x.clone();
                for (int d = 0; d < x.length; d++) {
                    out[d] = toInt((long) out[d] + pads[d] + pads[d + x.length]);
                    require(out[d] >= 0, "negative size in dimension " + d);
                }
                return out;
            }
            case FLATTEN -> {
                int axis = node.attrs(Attrs.Flatten.class).axis();
                require(axis >= 0 && axis <= x.length, "axis " + axis + " out of range");
                long outer = 1;
                long inner = 1;
                for (int d = 0; d < x.length; d++) {
                    if (d < axis) {
                        outer *= x[d];
                    } else {
                        inner *= x[d];
                    }
                }
                return new int[] {toInt(outer), toInt(inner)};
            }
            case RESHAPE -> {
                return reshape(x, node.attrs(Attrs.Reshape.class));
            }
            case TRANSPOSE -> {
                int[] perm = node.attrs(Attrs.Transpose.class).perm();
                require(perm.length == x.length, "perm " + java.util.Arrays.toString(perm) + " for rank " + x.length);
                int[] out = new int[x.length];
                for (int d = 0; d < x.length; d++) {
                    out[d] = x[perm[d]];
                }
                return out;
            }
            case GEMM -> {
                Attrs.Gemm a = node.attrs(Attrs.Gemm.class);
                int[] b = in.get(1);
                require(x.length == 2 && b.length == 2, "gemm needs 2-D operands");
                int m = a.transA() ? x[1] : x[0];
                int k = a.transA() ? x[0] : x[1];
                int kb = a.transB() ? b[1] : b[0];
                int n = a.transB() ? b[0] : b[1];
                require(k == kb, "inner dimensions " + k + " and " + kb + " differ");
                if (in.size() > 2 && in.get(2) != null) {
                    broadcast(new int[] {m, n}, in.get(2));
                }
                return new int[] {m, n};
            }
            case MATMUL -> {
                return matmul(x, in.get(1));
            }
            case RESIZE -> {
                Attrs.Resize a = node.attrs(Attrs.Resize.class);
                int[] out = x.clone();
                if (a.sizes() != null) {
                    require(a.sizes().length == x.length, "sizes for rank " + x.length);
                    return a.sizes().clone();
                }
                require(a.scales().length == x.length, "scales for rank " + x.length);
                for (int d = 0; d < x.length; d++) {
                    double size = Math.floor(x[d] * (double) a.scales()[d]);
                    require(size >= 0 && size <= Integer.MAX_VALUE, "scale " + a.scales()[d] + " makes dimension " + d
                            + " " + size);
                    out[d] = (int) size;
                }
                return out;
            }
            default -> throw new IllegalArgumentException("no shape rule for op " + node.op());
        }
    }

    /** Output length of a convolution along one axis; {@code pads} is the sum of both sides. */
    public static int convOut(int in, int k, int stride, int pads, int dilation) {
        long span = (long) in + pads - (long) dilation * (k - 1) - 1;
        require(span >= 0, "kernel " + k + " (dilation " + dilation + ") does not fit " + in + " with padding " + pads);
        return toInt(span / stride + 1);
    }

    /** Output length of pooling along one axis, PyTorch's rule for ceil mode (no window starts in the padding). */
    public static int poolOut(int in, int k, int stride, int padBegin, int padEnd, int dilation, boolean ceil) {
        long span = (long) in + padBegin + padEnd - (long) dilation * (k - 1) - 1;
        require(span >= 0, "window " + k + " does not fit " + in + " with padding " + padBegin + "+" + padEnd);
        long out = (ceil ? (span + stride - 1) / stride : span / stride) + 1;
        if (ceil && (out - 1) * stride >= (long) in + padBegin) {
            out--;
        }
        return toInt(out);
    }

    /** {@code v} as an int dimension; beyond int range is a shape no tensor can have. */
    private static int toInt(long v) {
        require(v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE, "dimension " + v + " is beyond int range");
        return (int) v;
    }

    /** numpy broadcasting of two shapes. */
    public static int[] broadcast(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            require(da == db || da == 1 || db == 1, "shapes " + Shapes.format(a) + " and " + Shapes.format(b)
                    + " do not broadcast");
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** The shape after averaging over {@code a.axes()} (all axes when empty). */
    public static int[] reduceMean(int[] x, Attrs.ReduceMean a) {
        boolean[] reduced = new boolean[x.length];
        for (int axis : a.axes()) {
            require(axis >= 0 && axis < x.length, "axis " + axis + " out of range");
            reduced[axis] = true;
        }
        if (a.axes().length == 0) {
            java.util.Arrays.fill(reduced, true);
        }
        List<Integer> out = new ArrayList<>();
        for (int d = 0; d < x.length; d++) {
            if (!reduced[d]) {
                out.add(x[d]);
            } else if (a.keepDims()) {
                out.add(1);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** ONNX Reshape: 0 copies the input's dimension (unless allowZero), one -1 is inferred. */
    public static int[] reshape(int[] x, Attrs.Reshape a) {
        long[] target = a.shape();
        int[] out = new int[target.length];
        long known = 1;
        int infer = -1;
        for (int d = 0; d < target.length; d++) {
            long t = target[d];
            if (t == -1) {
                require(infer < 0, "more than one -1 in " + java.util.Arrays.toString(target));
                infer = d;
                continue;
            }
            if (t == 0 && !a.allowZero()) {
                require(d < x.length, "0 at dimension " + d + " beyond the input's rank");
                t = x[d];
            }
            require(t >= 0 && t <= Integer.MAX_VALUE, "invalid dimension " + t);
            out[d] = (int) t;
            known = (long) Math.min((double) known * t, 0x1p40);
        }
        long total = Shapes.size(x);
        if (infer >= 0) {
            require(known > 0 && total % known == 0, "cannot infer -1: " + total + " values over " + known);
            out[infer] = (int) (total / known);
        } else {
            require(known == total, "target " + Shapes.format(out) + " holds " + known + " values, input has " + total);
        }
        return out;
    }

    /** numpy matmul shapes: 1-D operands are promoted and the promoted dimension dropped again. */
    public static int[] matmul(int[] a, int[] b) {
        int[] a2 = a.length == 1 ? new int[] {1, a[0]} : a;
        int[] b2 = b.length == 1 ? new int[] {b[0], 1} : b;
        require(a2[a2.length - 1] == b2[b2.length - 2], "inner dimensions " + a2[a2.length - 1] + " and "
                + b2[b2.length - 2] + " differ");
        int[] batch = broadcast(java.util.Arrays.copyOf(a2, a2.length - 2), java.util.Arrays.copyOf(b2, b2.length - 2));
        List<Integer> out = new ArrayList<>();
        for (int d : batch) {
            out.add(d);
        }
        if (a.length > 1) {
            out.add(a2[a2.length - 2]);
        }
        if (b.length > 1) {
            out.add(b2[b2.length - 1]);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
