package org.legodnn.graph.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.graph.onnx.proto.OnnxProto.AttributeProto;
import org.legodnn.graph.onnx.proto.OnnxProto.NodeProto;

/**
 * Translates one ONNX node into the engine's {@link Node}: reads the attributes with the spec's defaults,
 * resolves what PyTorch keeps implicit (auto_pad, negative axes, constant shape inputs) into explicit
 * settings, and refuses — naming op, node and opset — anything it cannot reproduce exactly.
 */
final class OnnxNodeImport {

    /** What a translation needs from the import in progress. */
    interface Context {
        int opset();

        /** The constant that {@code value} holds, or null if it is computed at run time. */
        OnnxTensors.Constant constant(String value);

        /** The shape of {@code value} as inferred so far (open dimensions as 1). */
        int[] shape(String value);

        /** Whether every spatial (non-batch) input dimension of the model is known. */
        boolean spatialStatic();

        /** Records a constant computed at import (Constant nodes). */
        void defineConstant(String value, OnnxTensors.Constant c);
    }

    /** The widest window (kernel extent, pooling window) accepted; far beyond any real network's. */
    static final int MAX_WINDOW = 1 << 16;

    private final NodeProto proto;
    private final Context ctx;
    private final OnnxAttributes attrs;
    private final String name;
    private final String modulePath;

    private OnnxNodeImport(NodeProto proto, Context ctx, String name, String modulePath) {
        this.proto = proto;
        this.ctx = ctx;
        this.name = name;
        this.modulePath = modulePath;
        this.attrs = new OnnxAttributes(proto, "opset " + ctx.opset());
    }

    /**
     * The node as the engine's nodes, in order: one for most ops, several single-axis slices for Slice over several
     * axes and for Split (whose outputs become one slice each), none for nodes that only define constants.
     */
    static List<Node> translate(NodeProto proto, Context ctx, String name, String modulePath) {
        OnnxNodeImport in = new OnnxNodeImport(proto, ctx, name, modulePath);
        if (proto.getOpType().equals("QuantizeLinear") || proto.getOpType().equals("DequantizeLinear")) {
            in.checkDomain();
            OnnxQuantizeImport q = new OnnxQuantizeImport(proto, ctx, in.attrs, name, modulePath);
            return List.of(proto.getOpType().equals("QuantizeLinear") ? q.quantizeLinear() : q.dequantizeLinear());
        }
        if (proto.getOpType().equals("Slice") || proto.getOpType().equals("Split")) {
            in.checkDomain();
            OnnxSliceImport slices = new OnnxSliceImport(proto, ctx, in.attrs, name, modulePath);
            return proto.getOpType().equals("Slice") ? slices.slice() : slices.split();
        }
        Node n = in.translate();
        return n == null ? List.of() : List.of(n);
    }

    private void checkDomain() {
        if (!proto.getDomain().isEmpty() && !proto.getDomain().equals("ai.onnx")) {
            throw attrs.error("op domain '" + proto.getDomain() + "' is not supported");
        }
    }

    private Node translate() {
        String op = proto.getOpType();
        checkDomain();
        return switch (op) {
            case "Conv" -> conv();
            case "ConvTranspose" -> convTranspose();
            case "BatchNormalization" -> batchNorm();
            case "Relu" -> unary(Op.RELU, Attrs.None.INSTANCE, Set.of());
            case "Sigmoid" -> unary(Op.SIGMOID, Attrs.None.INSTANCE, Set.of());
            case "Tanh" -> unary(Op.TANH, Attrs.None.INSTANCE, Set.of());
            case "Exp" -> unary(Op.EXP, Attrs.None.INSTANCE, Set.of());
            case "HardSwish" -> unary(Op.HARD_SWISH, Attrs.None.INSTANCE, Set.of());
            case "LeakyRelu" -> unary(Op.LEAKY_RELU, new Attrs.LeakyRelu(attrs.f("alpha", 0.01f)), Set.of("alpha"));
            case "HardSigmoid" -> unary(Op.HARD_SIGMOID,
                    new Attrs.HardSigmoid(attrs.f("alpha", 0.2f), attrs.f("beta", 0.5f)), Set.of("alpha", "beta"));
            case "Clip" -> clip();
            case "Identity" -> unary(Op.IDENTITY, Attrs.None.INSTANCE, Set.of());
            case "Dropout" -> dropout();
            case "Add" -> binary(Op.ADD);
            case "Sub" -> binary(Op.SUB);
            case "Mul" -> binary(Op.MUL);
            case "Div" -> binary(Op.DIV);
            case "Concat" -> concat();
            case "MaxPool" -> pool(Op.MAX_POOL);
            case "AveragePool" -> pool(Op.AVG_POOL);
            case "GlobalAveragePool" -> unary(Op.GLOBAL_AVG_POOL, Attrs.None.INSTANCE, Set.of());
            case "ReduceMean" -> reduceMean();
            case "Pad" -> pad();
            case "Flatten" -> flatten();
            case "Reshape" -> reshape();
            case "Transpose" -> transpose();
            case "Gemm" -> gemm();
            case "MatMul" -> node(Op.MATMUL, Attrs.None.INSTANCE, data(2, 2));
            case "Softmax" -> softmax();
            case "Constant" -> constant();
            case "Resize" -> resize();
            case "Upsample" -> upsample();
            default -> throw attrs.error("op " + op + " is not supported");
        };
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private Node node(Op op, Attrs a, List<String> inputs) {
        if (proto.getOutputCount() < 1 || proto.getOutput(0).isEmpty()) {
            throw attrs.error("node has no output");
        }
        for (int k = 1; k < proto.getOutputCount(); k++) {
            if (!proto.getOutput(k).isEmpty()) {
                throw attrs.error("output " + k + " ('" + proto.getOutput(k) + "') is not supported; only the first output is");
            }
        }
        return Node.of(name, op, a, inputs, List.of(proto.getOutput(0)), modulePath);
    }

    /** The first {@code min..max} inputs, which must be present (non-empty) and carry data. */
    private List<String> data(int min, int max) {
        int count = proto.getInputCount();
        while (count > 0 && proto.getInput(count - 1).isEmpty()) {
            count--;
        }
        if (count < min || count > max) {
            throw attrs.error("expected " + (min == max ? "" + min : min + " to " + max) + " inputs, got " + count);
        }
        List<String> in = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            if (proto.getInput(k).isEmpty()) {
                throw attrs.error("input " + k + " is empty");
            }
            in.add(proto.getInput(k));
        }
        return in;
    }

    /** The data input of an op whose other inputs are settings (which may be absent or empty). */
    private String first(int maxInputs) {
        return dataInput(proto, attrs, maxInputs);
    }

    /** Input 0 of {@code proto}, which must be present, of a node with at most {@code maxInputs} inputs. */
    static String dataInput(NodeProto proto, OnnxAttributes attrs, int maxInputs) {
        if (proto.getInputCount() > maxInputs) {
            throw attrs.error("expected at most " + maxInputs + " inputs, got " + proto.getInputCount());
        }
        if (proto.getInputCount() == 0 || proto.getInput(0).isEmpty()) {
            throw attrs.error("the data input is missing");
        }
        return proto.getInput(0);
    }

    private String input(int k) {
        return k < proto.getInputCount() ? proto.getInput(k) : "";
    }

    /** A constant input that the engine turns into a setting (shape, pads, scales); null when absent. */
    private OnnxTensors.Constant constInput(int k, String what) {
        return constInput(proto, ctx, attrs, k, what, false);
    }

    /**
     * Input {@code k} of {@code proto}, which must be a constant (a setting such as a shape, pads or a scale); null
     * when absent, unless {@code required}.
     */
    static OnnxTensors.Constant constInput(NodeProto proto, Context ctx, OnnxAttributes attrs, int k, String what,
                                           boolean required) {
        String in = k < proto.getInputCount() ? proto.getInput(k) : "";
        if (in.isEmpty()) {
            if (required) {
                throw attrs.error("input " + k + " (" + what + ") is missing");
            }
            return null;
        }
        OnnxTensors.Constant c = ctx.constant(in);
        if (c == null) {
            throw attrs.error("input " + k + " (" + what + ", '" + in + "') is computed at run time; only constant "
                    + what + " is supported");
        }
        return c;
    }

    private int rank(String value) {
        int[] s = ctx.shape(value);
        if (s == null) {
            throw attrs.error("the shape of input '" + value + "' is unknown");
        }
        return s.length;
    }

    private int axis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw attrs.error("axis " + axis + " is out of range for rank " + rank);
        }
        return (int) a;
    }

    /** {@code v} as ints; a value beyond int range fails naming the node and {@code what}. */
    private int[] toInts(long[] v, String what) {
        int[] out = new int[v.length];
        for (int k = 0; k < v.length; k++) {
            if (v[k] < Integer.MIN_VALUE || v[k] > Integer.MAX_VALUE) {
                throw attrs.error(what + " " + java.util.Arrays.toString(v) + " has a value beyond int range");
            }
            out[k] = (int) v[k];
        }
        return out;
    }

    /** The extent of a window of {@code k} taps spaced {@code dilation} apart: (k − 1)·dilation + 1. */
    private long span(long k, long dilation, String what) {
        long extent = (k - 1) * dilation + 1;
        if (k < 1 || k > MAX_WINDOW || dilation > MAX_WINDOW || extent > MAX_WINDOW) {
            throw attrs.error(what + " " + k + " with dilation " + dilation + " spans " + extent
                    + " pixels (expected a kernel of 1 to " + MAX_WINDOW + ")");
        }
        return extent;
    }

    /**
     * Checks explicit pads against the window: a convolution pad larger than the kernel's extent (or, for pooling,
     * as large) only adds output pixels that see nothing but padding, and is how a corrupt file announces an
     * activation of gigabytes (pads 2485 on a 3×3 kernel). ONNX Runtime refuses such pooling pads likewise.
     */
    private void checkPads(long[] pads, long[] kernel, long[] dilations, boolean pool) {
        for (int k = 0; k < pads.length; k++) {
            int axis = k % 2;
            long extent = span(kernel[axis], dilations[axis], "kernel");
            long max = pool ? extent - 1 : extent;
            if (pads[k] < 0) {
                throw attrs.error("negative pads " + java.util.Arrays.toString(pads) + " are not supported");
            }
            if (pads[k] > max) {
                throw attrs.error("pads " + java.util.Arrays.toString(pads) + " exceed the " + (pool ? "window" : "kernel")
                        + " (" + kernel[axis] + " taps, dilation " + dilations[axis] + "; expected pads "
                        + (pool ? "below " + extent : "up to " + extent) + ")");
            }
        }
    }

    private long[] ints2(String attr, long fallback) {
        long[] v = attrs.ints(attr);
        if (v == null) {
            return new long[] {fallback, fallback};
        }
        if (v.length != 2) {
            throw attrs.error("attribute " + attr + " has " + v.length + " values; only 2-D (two spatial axes) is supported");
        }
        for (long x : v) {
            if (x < 1 || x > Integer.MAX_VALUE) {
                throw attrs.error("attribute " + attr + " is " + java.util.Arrays.toString(v)
                        + "; every value must be a positive int");
            }
        }
        return v;
    }

    /** The weight's shape, checked to be a 4-D convolution kernel. */
    private int[] kernel4(String weight, String what) {
        int[] w = ctx.shape(weight);
        if (w == null || w.length != 4) {
            throw attrs.error(what + " weight '" + weight + "' has shape " + (w == null ? "(unknown)"
                    : java.util.Arrays.toString(w)) + "; expected 4 dimensions");
        }
        return w;
    }

    /** The {@code group} attribute, checked to be a positive int. */
    private int group() {
        long g = attrs.i("group", 1);
        if (g < 1 || g > Integer.MAX_VALUE) {
            throw attrs.error("group is " + g + "; expected a positive int");
        }
        return (int) g;
    }

    // ---- ops ----------------------------------------------------------------------------------------------

    private Node unary(Op op, Attrs a, Set<String> allowed) {
        attrs.allowOnly(allowed);
        return node(op, a, data(1, 1));
    }

    private Node binary(Op op) {
        attrs.allowOnly(Set.of());
        return node(op, Attrs.None.INSTANCE, data(2, 2));
    }

    /**
     * Pads of a 2-D window op: explicit {@code pads}, or resolved from {@code auto_pad} against the input size.
     * Returns {top, left, bottom, right}.
     */
    private int[] windowPads(String x, long[] kernel, long[] strides, long[] dilations, boolean pool) {
        String autoPad = attrs.s("auto_pad", "NOTSET");
        long[] pads = attrs.ints("pads");
        switch (autoPad) {
            case "NOTSET" -> {
                if (pads == null) {
                    return new int[4];
                }
                if (pads.length != 4) {
                    throw attrs.error("pads has " + pads.length + " values; only 2-D (4 pads) is supported");
                }
                checkPads(pads, kernel, dilations, pool);
                return toInts(pads, "pads");
            }
            case "VALID" -> {
                return new int[4];
            }
            case "SAME_UPPER", "SAME_LOWER" -> {
                if (!ctx.spatialStatic()) {
                    throw attrs.error("auto_pad " + autoPad + " needs the model's spatial input size, which is open");
                }
                int[] s = ctx.shape(x);
                int[] out = new int[4];
                for (int d = 0; d < 2; d++) {
                    span(kernel[d], dilations[d], "kernel");
                    int in = s[2 + d];
                    int o = (int) ((in + strides[d] - 1) / strides[d]);
                    int total = (int) Math.max(0, (o - 1) * strides[d] + (kernel[d] - 1) * dilations[d] + 1 - in);
                    int small = total / 2;
                    int big = total - small;
                    out[d] = autoPad.equals("SAME_UPPER") ? small : big;
                    out[d + 2] = autoPad.equals("SAME_UPPER") ? big : small;
                }
                return out;
            }
            default -> throw attrs.error("auto_pad '" + autoPad + "' is not supported");
        }
    }

    private void requireRank4(String x, String what) {
        int r = rank(x);
        if (r != 4) {
            throw attrs.error("only 2-D " + what + " (a 4-D NCHW input) is supported, the input has rank " + r);
        }
    }

    private Node conv() {
        attrs.allowOnly(Set.of("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"));
        List<String> in = data(2, 3);
        requireRank4(in.get(0), "convolution");
        int[] w = kernel4(in.get(1), "convolution");
        long[] kernel = {w[2], w[3]};
        checkKernel(kernel);
        long[] strides = ints2("strides", 1);
        long[] dilations = ints2("dilations", 1);
        for (int d = 0; d < 2; d++) {
            span(kernel[d], dilations[d], "kernel");
        }
        int[] p = windowPads(in.get(0), kernel, strides, dilations, false);
        Attrs.Conv a = new Attrs.Conv(Math.toIntExact(strides[0]), Math.toIntExact(strides[1]), p[0], p[1], p[2], p[3],
                Math.toIntExact(dilations[0]), Math.toIntExact(dilations[1]), group());
        return node(Op.CONV, a, in);
    }

    private void checkKernel(long[] fromWeight) {
        long[] k = attrs.ints("kernel_shape");
        if (k != null && !java.util.Arrays.equals(k, fromWeight)) {
            throw attrs.error("kernel_shape " + java.util.Arrays.toString(k) + " disagrees with the weight's "
                    + java.util.Arrays.toString(fromWeight));
        }
    }

    private Node convTranspose() {
        attrs.allowOnly(Set.of("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides", "output_padding"));
        List<String> in = data(2, 3);
        requireRank4(in.get(0), "transposed convolution");
        String autoPad = attrs.s("auto_pad", "NOTSET");
        if (!autoPad.equals("NOTSET") && !autoPad.equals("VALID")) {
            throw attrs.error("auto_pad '" + autoPad + "' is not supported for ConvTranspose (give explicit pads)");
        }
        int[] w = kernel4(in.get(1), "transposed convolution");
        checkKernel(new long[] {w[2], w[3]});
        long[] strides = ints2("strides", 1);
        long[] dilations = ints2("dilations", 1);
        long[] outPad = attrs.ints("output_padding") == null ? new long[2] : attrs.ints("output_padding");
        if (outPad.length != 2) {
            throw attrs.error("output_padding has " + outPad.length + " values; only 2-D is supported");
        }
        for (int d = 0; d < 2; d++) {
            if (outPad[d] < 0 || outPad[d] >= Math.max(strides[d], dilations[d])) {
                throw attrs.error("output_padding " + java.util.Arrays.toString(outPad) + " (expected each value from 0"
                        + " to below the stride or the dilation, as in PyTorch)");
            }
        }
        long[] pads = autoPad.equals("VALID") ? null : attrs.ints("pads");
        if (pads != null && pads.length != 4) {
            throw attrs.error("pads has " + pads.length + " values; only 2-D (4 pads) is supported");
        }
        if (pads != null) {
            long[] kernel = {w[2], w[3]};
            checkPads(pads, kernel, dilations, true); // PyTorch: padding <= dilation·(k − 1)
        }
        int[] p = pads == null ? new int[4] : toInts(pads, "pads");
        Attrs.ConvTranspose a = new Attrs.ConvTranspose(Math.toIntExact(strides[0]), Math.toIntExact(strides[1]),
                p[0], p[1], p[2], p[3], Math.toIntExact(dilations[0]), Math.toIntExact(dilations[1]),
                group(), Math.toIntExact(outPad[0]), Math.toIntExact(outPad[1]));
        return node(Op.CONV_TRANSPOSE, a, in);
    }

    private Node batchNorm() {
        attrs.allowOnly(Set.of("epsilon", "momentum", "training_mode", "spatial"));
        if (attrs.i("training_mode", 0) != 0) {
            throw attrs.error("training_mode=1 is not supported (inference only)");
        }
        if (attrs.i("spatial", 1) != 1) {
            throw attrs.error("spatial=0 is not supported");
        }
        List<String> in = data(5, 5);
        float momentum = attrs.f("momentum", 0.9f);
        // ONNX: running = momentum·running + (1 − momentum)·batch; PyTorch names the other factor momentum.
        return node(Op.BATCH_NORM, new Attrs.BatchNorm(attrs.f("epsilon", 1e-5f), 1f - momentum), in);
    }

    private Node clip() {
        attrs.allowOnly(Set.of("min", "max"));
        float min = attrs.f("min", Float.NEGATIVE_INFINITY);
        float max = attrs.f("max", Float.POSITIVE_INFINITY);
        OnnxTensors.Constant lo = constInput(1, "min");
        OnnxTensors.Constant hi = constInput(2, "max");
        if (lo != null) {
            min = scalar(lo, "min");
        }
        if (hi != null) {
            max = scalar(hi, "max");
        }
        return node(Op.CLIP, new Attrs.Clip(min, max), List.of(first(3)));
    }

    private float scalar(OnnxTensors.Constant c, String what) {
        if (c.size() != 1) {
            throw attrs.error(what + " must be a scalar, got " + c.size() + " values");
        }
        return c.asFloats()[0];
    }

    private Node dropout() {
        attrs.allowOnly(Set.of("seed", "ratio", "is_test"));
        // Opset 12+: training_mode is input 2; inference unless it is a constant true.
        OnnxTensors.Constant training = constInput(2, "training_mode");
        if (training != null && training.size() != 1) {
            throw attrs.error("training_mode has " + training.size() + " values (expected one)");
        }
        if (training != null && training.asLongs()[0] != 0) {
            throw attrs.error("training_mode=true is not supported (inference only)");
        }
        return node(Op.IDENTITY, Attrs.None.INSTANCE, List.of(first(3)));
    }

    private Node concat() {
        attrs.allowOnly(Set.of("axis"));
        if (!attrs.has("axis")) {
            throw attrs.error("attribute axis is required");
        }
        List<String> in = data(1, Integer.MAX_VALUE);
        return node(Op.CONCAT, new Attrs.Concat(axis(attrs.i("axis", 0), rank(in.get(0)))), in);
    }

    private Node pool(Op op) {
        boolean max = op == Op.MAX_POOL;
        attrs.allowOnly(max
                ? Set.of("auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides")
                : Set.of("auto_pad", "ceil_mode", "count_include_pad", "kernel_shape", "pads", "strides", "dilations"));
        List<String> in = data(1, 1);
        requireRank4(in.get(0), "pooling");
        long[] kernel = attrs.ints("kernel_shape");
        if (kernel == null || kernel.length != 2) {
            throw attrs.error("kernel_shape must have 2 values, got " + (kernel == null ? "none" : kernel.length));
        }
        long[] strides = ints2("strides", 1);
        long[] dilations = ints2("dilations", 1);
        for (int d = 0; d < 2; d++) {
            span(kernel[d], dilations[d], "kernel_shape");
        }
        int[] p = windowPads(in.get(0), kernel, strides, dilations, true);
        Attrs.Pool a = new Attrs.Pool(Math.toIntExact(kernel[0]), Math.toIntExact(kernel[1]), Math.toIntExact(strides[0]),
                Math.toIntExact(strides[1]), p[0], p[1], p[2], p[3], Math.toIntExact(dilations[0]),
                Math.toIntExact(dilations[1]), attrs.i("ceil_mode", 0) != 0, attrs.i("count_include_pad", 0) != 0);
        return node(op, a, in);
    }

    private Node reduceMean() {
        attrs.allowOnly(Set.of("axes", "keepdims", "noop_with_empty_axes"));
        List<String> in = List.of(first(2));
        long[] axes = attrs.ints("axes");
        if (!input(1).isEmpty()) {
            axes = constInput(1, "axes").asLongs();
        }
        int rank = rank(in.get(0));
        int[] norm;
        if (axes == null || axes.length == 0) {
            if (attrs.i("noop_with_empty_axes", 0) != 0) {
                return node(Op.IDENTITY, Attrs.None.INSTANCE, List.of(in.get(0)));
            }
            norm = new int[0];
        } else {
            norm = new int[axes.length];
            for (int k = 0; k < axes.length; k++) {
                norm[k] = axis(axes[k], rank);
            }
            java.util.Arrays.sort(norm);
        }
        return node(Op.REDUCE_MEAN, new Attrs.ReduceMean(norm, attrs.i("keepdims", 1) != 0), List.of(in.get(0)));
    }

    private Node pad() {
        attrs.allowOnly(Set.of("mode", "pads", "value"));
        String x = first(4);
        int rank = rank(x);
        long[] pads = attrs.ints("pads");
        float value = attrs.f("value", 0f);
        OnnxTensors.Constant padsIn = constInput(1, "pads");
        if (padsIn != null) {
            pads = padsIn.asLongs();
        }
        OnnxTensors.Constant valueIn = constInput(2, "constant_value");
        if (valueIn != null) {
            value = scalar(valueIn, "constant_value");
        }
        OnnxTensors.Constant axesIn = constInput(3, "axes");
        if (axesIn != null && pads != null) { // opset 18: pads only for these axes, zero elsewhere
            long[] axes = axesIn.asLongs();
            if (pads.length != 2 * axes.length) {
                throw attrs.error("pads must have " + 2 * axes.length + " values for " + axes.length + " axes");
            }
            long[] full = new long[2 * rank];
            boolean[] seen = new boolean[rank];
            for (int k = 0; k < axes.length; k++) {
                int a = axis(axes[k], rank);
                if (seen[a]) {
                    throw attrs.error("axes " + java.util.Arrays.toString(axes) + " repeat axis " + a);
                }
                seen[a] = true;
                full[a] = pads[k];
                full[a + rank] = pads[k + axes.length];
            }
            pads = full;
        }
        if (pads == null || pads.length != 2 * rank) {
            throw attrs.error("pads must have " + 2 * rank + " values for rank " + rank);
        }
        Attrs.PadMode mode = switch (attrs.s("mode", "constant")) {
            case "constant" -> Attrs.PadMode.CONSTANT;
            case "reflect" -> Attrs.PadMode.REFLECT;
            case "edge" -> Attrs.PadMode.EDGE;
            default -> throw attrs.error("mode '" + attrs.s("mode", "") + "' is not supported");
        };
        return node(Op.PAD, new Attrs.Pad(toInts(pads, "pads"), mode, value), List.of(x));
    }

    private Node flatten() {
        attrs.allowOnly(Set.of("axis"));
        String x = data(1, 1).get(0);
        int rank = rank(x);
        long axis = attrs.i("axis", 1);
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a > rank) {
            throw attrs.error("axis " + axis + " is out of range for rank " + rank);
        }
        return node(Op.FLATTEN, new Attrs.Flatten((int) a), List.of(x));
    }

    private Node reshape() {
        attrs.allowOnly(Set.of("allowzero"));
        String x = data(2, 2).get(0);
        long[] shape = constInput(1, "shape").asLongs();
        return node(Op.RESHAPE, new Attrs.Reshape(shape, attrs.i("allowzero", 0) != 0), List.of(x));
    }

    private Node transpose() {
        attrs.allowOnly(Set.of("perm"));
        String x = data(1, 1).get(0);
        int rank = rank(x);
        long[] perm = attrs.ints("perm");
        if (perm != null && perm.length != rank) {
            throw attrs.error("perm has " + perm.length + " values for rank " + rank);
        }
        int[] p = new int[rank];
        boolean[] seen = new boolean[rank];
        for (int d = 0; d < rank; d++) {
            p[d] = perm == null ? rank - 1 - d : axis(perm[d], rank);
            if (seen[p[d]]) {
                throw attrs.error("perm " + java.util.Arrays.toString(perm) + " is not a permutation");
            }
            seen[p[d]] = true;
        }
        if (perm != null && perm.length != rank) {
            throw attrs.error("perm has " + perm.length + " values for rank " + rank);
        }
        return node(Op.TRANSPOSE, new Attrs.Transpose(p), List.of(x));
    }

    private Node gemm() {
        attrs.allowOnly(Set.of("alpha", "beta", "transA", "transB"));
        List<String> in = data(2, 3);
        Attrs.Gemm a = new Attrs.Gemm(attrs.f("alpha", 1f), attrs.f("beta", 1f), attrs.i("transA", 0) != 0,
                attrs.i("transB", 0) != 0);
        return node(Op.GEMM, a, in);
    }

    private Node softmax() {
        attrs.allowOnly(Set.of("axis"));
        String x = data(1, 1).get(0);
        int rank = rank(x);
        boolean legacy = ctx.opset() < 13;
        int axis = axis(attrs.i("axis", legacy ? 1 : -1), Math.max(rank, 1));
        return node(Op.SOFTMAX, new Attrs.Softmax(axis, legacy), List.of(x));
    }

    private Node constant() {
        attrs.allowOnly(Set.of("value", "value_float", "value_floats", "value_int", "value_ints"));
        if (proto.getOutputCount() != 1) {
            throw attrs.error("expected one output");
        }
        String out = proto.getOutput(0);
        OnnxTensors.Constant c;
        if (attrs.has("value")) {
            AttributeProto v = attrs.raw("value");
            OnnxTensors.Constant t = OnnxTensors.read(v.getT());
            c = new OnnxTensors.Constant(out, t.dims(), t.floats(), t.longs(), t.type());
        } else if (attrs.has("value_float")) {
            c = new OnnxTensors.Constant(out, new int[0], new float[] {attrs.f("value_float", 0f)}, null);
        } else if (attrs.has("value_floats")) {
            float[] f = attrs.floats("value_floats");
            c = new OnnxTensors.Constant(out, new int[] {f.length}, f, null);
        } else if (attrs.has("value_int")) {
            c = new OnnxTensors.Constant(out, new int[0], null, new long[] {attrs.i("value_int", 0)});
        } else if (attrs.has("value_ints")) {
            long[] l = attrs.ints("value_ints");
            c = new OnnxTensors.Constant(out, new int[] {l.length}, null, l);
        } else {
            throw attrs.error("no supported value attribute (sparse_value and strings are not supported)");
        }
        ctx.defineConstant(out, c);
        return null;
    }

    private Node resize() {
        attrs.allowOnly(Set.of("mode", "coordinate_transformation_mode", "nearest_mode", "cubic_coeff_a",
                "exclude_outside", "extrapolation_value", "antialias", "axes", "keep_aspect_ratio_policy"));
        String x = first(4);
        if (attrs.i("exclude_outside", 0) != 0) {
            throw attrs.error("exclude_outside=1 is not supported");
        }
        // Opset 18's additions, accepted where they change nothing.
        if (attrs.i("antialias", 0) != 0) {
            throw attrs.error("antialias=1 is not supported");
        }
        if (!attrs.s("keep_aspect_ratio_policy", "stretch").equals("stretch")) {
            throw attrs.error("keep_aspect_ratio_policy '" + attrs.s("keep_aspect_ratio_policy", "")
                    + "' is not supported (stretch is)");
        }
        long[] resizeAxes = attrs.ints("axes");
        if (resizeAxes != null) {
            int rank = rank(x);
            boolean all = resizeAxes.length == rank;
            for (int k = 0; all && k < rank; k++) {
                all = axis(resizeAxes[k], rank) == k;
            }
            if (!all) {
                throw attrs.error("axes " + java.util.Arrays.toString(resizeAxes) + " is not supported (only every axis"
                        + " in order is)");
            }
        }
        Attrs.ResizeMode mode = switch (attrs.s("mode", "nearest")) {
            case "nearest" -> Attrs.ResizeMode.NEAREST;
            case "linear" -> Attrs.ResizeMode.LINEAR;
            default -> throw attrs.error("mode '" + attrs.s("mode", "") + "' is not supported (nearest and linear are)");
        };
        Attrs.CoordinateMode coordinates = switch (attrs.s("coordinate_transformation_mode", "half_pixel")) {
            case "half_pixel" -> Attrs.CoordinateMode.HALF_PIXEL;
            case "pytorch_half_pixel" -> Attrs.CoordinateMode.PYTORCH_HALF_PIXEL;
            case "align_corners" -> Attrs.CoordinateMode.ALIGN_CORNERS;
            case "asymmetric" -> Attrs.CoordinateMode.ASYMMETRIC;
            default -> throw attrs.error("coordinate_transformation_mode '"
                    + attrs.s("coordinate_transformation_mode", "") + "' is not supported");
        };
        Attrs.NearestMode nearest = switch (attrs.s("nearest_mode", "round_prefer_floor")) {
            case "round_prefer_floor" -> Attrs.NearestMode.ROUND_PREFER_FLOOR;
            case "round_prefer_ceil" -> Attrs.NearestMode.ROUND_PREFER_CEIL;
            case "floor" -> Attrs.NearestMode.FLOOR;
            case "ceil" -> Attrs.NearestMode.CEIL;
            default -> throw attrs.error("nearest_mode '" + attrs.s("nearest_mode", "") + "' is not supported");
        };
        OnnxTensors.Constant scales = constInput(2, "scales");
        OnnxTensors.Constant sizes = constInput(3, "sizes");
        if (scales != null && scales.size() == 0) {
            scales = null;
        }
        if (sizes != null && sizes.size() == 0) {
            sizes = null;
        }
        if ((scales == null) == (sizes == null)) {
            throw attrs.error("exactly one of scales and sizes must be given");
        }
        return node(Op.RESIZE, resizeAttrs(x, mode, scales, sizes, coordinates, nearest), List.of(x));
    }

    private Attrs.Resize resizeAttrs(String x, Attrs.ResizeMode mode, OnnxTensors.Constant scales,
                                     OnnxTensors.Constant sizes, Attrs.CoordinateMode coordinates,
                                     Attrs.NearestMode nearest) {
        int rank = rank(x);
        OnnxTensors.Constant given = scales != null ? scales : sizes;
        if (given.size() != rank) {
            throw attrs.error((scales != null ? "scales" : "sizes") + " has " + given.size() + " values for rank " + rank);
        }
        if (scales != null) {
            for (float f : scales.asFloats()) {
                if (!(f > 0) || f > MAX_WINDOW) {
                    throw attrs.error("scales " + java.util.Arrays.toString(scales.asFloats()) + " (expected finite"
                            + " positive factors up to " + MAX_WINDOW + ")");
                }
            }
        }
        if (sizes != null) {
            for (long v : sizes.asLongs()) {
                if (v < 1 || v > Integer.MAX_VALUE) {
                    throw attrs.error("sizes " + java.util.Arrays.toString(sizes.asLongs()) + " (expected positive ints)");
                }
            }
        }
        return new Attrs.Resize(mode, scales == null ? null : scales.asFloats().clone(),
                sizes == null ? null : toInts(sizes.asLongs(), "sizes"), coordinates, nearest);
    }

    /** Upsample (deprecated since opset 10): Resize with asymmetric coordinates and floor rounding. */
    private Node upsample() {
        attrs.allowOnly(Set.of("mode", "scales"));
        String x = first(2);
        Attrs.ResizeMode mode = switch (attrs.s("mode", "nearest")) {
            case "nearest" -> Attrs.ResizeMode.NEAREST;
            case "linear", "bilinear" -> Attrs.ResizeMode.LINEAR;
            default -> throw attrs.error("mode '" + attrs.s("mode", "") + "' is not supported");
        };
        OnnxTensors.Constant scales = constInput(1, "scales");
        if (scales == null) {
            float[] f = attrs.floats("scales");
            if (f == null) {
                throw attrs.error("scales are missing");
            }
            scales = new OnnxTensors.Constant("scales", new int[] {f.length}, f, null);
        }
        return node(Op.RESIZE, resizeAttrs(x, mode, scales, null, Attrs.CoordinateMode.ASYMMETRIC,
                Attrs.NearestMode.FLOOR), List.of(x));
    }
}
