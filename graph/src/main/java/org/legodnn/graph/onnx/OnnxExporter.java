package org.legodnn.graph.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.graph.ValueInfo;
import org.legodnn.graph.onnx.proto.OnnxProto.AttributeProto;
import org.legodnn.graph.onnx.proto.OnnxProto.GraphProto;
import org.legodnn.graph.onnx.proto.OnnxProto.ModelProto;
import org.legodnn.graph.onnx.proto.OnnxProto.NodeProto;
import org.legodnn.graph.onnx.proto.OnnxProto.OperatorSetIdProto;
import org.legodnn.graph.onnx.proto.OnnxProto.TensorProto;
import org.legodnn.graph.onnx.proto.OnnxProto.TensorShapeProto;
import org.legodnn.graph.onnx.proto.OnnxProto.TypeProto;
import org.legodnn.graph.onnx.proto.OnnxProto.ValueInfoProto;
import org.legodnn.graph.quant.QuantizeDequantize;
import org.legodnn.graph.trace.Tracer;
import org.legodnn.nn.Module;
import org.legodnn.tensor.io.AtomicWrite;
import org.legodnn.tensor.Tensor;

/**
 * Writes a {@link Graph} as an ONNX model (opset 13, or 14 when the graph uses HardSwish), so that models
 * built, pruned or composed here run anywhere ONNX does. Weights keep their PyTorch names; settings that
 * ONNX takes as inputs (Reshape's shape, Pad's pads, Clip's bounds, Resize's scales) become initializers
 * named after the node.
 */
public final class OnnxExporter {

    private final Graph graph;
    private final GraphProto.Builder out = GraphProto.newBuilder();

    private OnnxExporter(Graph graph) {
        this.graph = graph;
    }

    /** The ONNX model of {@code graph}. */
    public static ModelProto toModel(Graph graph) {
        return new OnnxExporter(graph).convert();
    }

    /** Traces {@code model} on an input of {@code inputShape} and converts the trace. */
    public static ModelProto toModel(Module model, int... inputShape) {
        return toModel(Tracer.trace(model, inputShape));
    }

    /** Writes {@code graph} to {@code path} (through a temporary file, so a crash never leaves half a model). */
    public static void write(Graph graph, Path path) throws IOException {
        ModelProto model = toModel(graph);
        AtomicWrite.write(path, model::writeTo);
    }

    private ModelProto convert() {
        int opset = 13;
        for (Node n : graph.nodes()) {
            if (n.op() == Op.HARD_SWISH || (n.op() == Op.RESHAPE && n.attrs(Attrs.Reshape.class).allowZero())) {
                opset = 14;
            }
        }
        out.setName(graph.name().isEmpty() ? "legodnn" : graph.name());
        for (ValueInfo in : graph.inputs()) {
            out.addInput(valueInfo(in.name(), in.shape()));
        }
        for (Map.Entry<String, Tensor> e : graph.initializers().entrySet()) {
            if (!storedQuantized(e.getKey())) {
                out.addInitializer(OnnxTensors.floats(e.getKey(), e.getValue()));
            }
        }
        for (Node n : graph.nodes()) {
            if (n.op() == Op.QUANTIZE_DEQUANTIZE) {
                quantizeDequantize(n);
            } else if (n.op() == Op.SOFTMAX && n.attrs(Attrs.Softmax.class).flattenTail()
                    && n.attrs(Attrs.Softmax.class).axis() != graph.shape(n.input(0)).length - 1) {
                legacySoftmax(n);
            } else {
                out.addNode(node(n));
            }
        }
        boolean dynamicBatch = !graph.inputs().isEmpty()
                && graph.inputs().stream().allMatch(in -> in.shape().length > 0 && in.shape()[0] < 0);
        for (String o : graph.outputs()) {
            int[] shape = graph.shape(o).clone();
            if (dynamicBatch && shape.length > 0) {
                shape[0] = -1; // the batch runs through: an output declared at batch 1 makes runtimes warn at batch 7
            }
            out.addOutput(valueInfo(o, shape));
        }
        return ModelProto.newBuilder().setIrVersion(7).setProducerName("legodnn-j").setProducerVersion("0.1")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(out).build();
    }

    /** Whether the initializer {@code name} is read only by quantize-dequantize nodes, which write it as integers. */
    private boolean storedQuantized(String name) {
        List<Node> readers = graph.consumers(name);
        return !readers.isEmpty() && !graph.outputs().contains(name)
                && readers.stream().allMatch(r -> r.op() == Op.QUANTIZE_DEQUANTIZE);
    }

    /**
     * A quantize-dequantize node as QDQ models spell it: a constant becomes an integer initializer read by
     * DequantizeLinear (int8 weights, int32 biases); an activation becomes QuantizeLinear then DequantizeLinear.
     */
    private void quantizeDequantize(Node n) {
        Attrs.Quantize q = n.attrs(Attrs.Quantize.class);
        TensorProto.DataType type = switch (q.type()) {
            case UINT8 -> TensorProto.DataType.UINT8;
            case INT8 -> TensorProto.DataType.INT8;
            case INT32 -> TensorProto.DataType.INT32;
        };
        String x = n.input(0);
        int channels = q.scales().length;
        int[] paramDims = q.perChannel() ? new int[] {channels} : new int[0];
        String scale = n.name() + "_scale";
        String zeroPoint = n.name() + "_zero_point";
        out.addInitializer(floatsOfShape(scale, q.scales(), paramDims));
        long[] zeros = new long[channels];
        for (int c = 0; c < channels; c++) {
            zeros[c] = q.zeroPoints()[c];
        }
        out.addInitializer(OnnxTensors.integers(zeroPoint, type, zeros, paramDims));
        String quantized = n.name() + "_quantized";
        if (graph.isInitializer(x)) {
            Tensor w = graph.initializer(x);
            out.addInitializer(OnnxTensors.integers(quantized, type, QuantizeDequantize.quantizeAll(w, q), w.shape()));
        } else {
            if (q.type() == Attrs.QuantType.INT32) {
                throw new IllegalArgumentException("node " + n.name() + ": ONNX quantizes activations to 8 bits only,"
                        + " not to INT32");
            }
            NodeProto.Builder b = NodeProto.newBuilder().setName(n.name() + "_quantize").setOpType("QuantizeLinear")
                    .addInput(x).addInput(scale).addInput(zeroPoint).addOutput(quantized);
            if (q.perChannel()) {
                b.addAttribute(i("axis", q.axis()));
            }
            out.addNode(b);
        }
        NodeProto.Builder b = NodeProto.newBuilder().setName(n.name()).setOpType("DequantizeLinear")
                .addInput(quantized).addInput(scale).addInput(zeroPoint).addOutput(n.output());
        if (q.perChannel()) {
            b.addAttribute(i("axis", q.axis()));
        }
        out.addNode(b);
    }

    private static TensorProto floatsOfShape(String name, float[] values, int[] dims) {
        return OnnxTensors.floats(name, Tensor.of(values.clone(), dims));
    }

    private static ValueInfoProto valueInfo(String name, int[] shape) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (int d : shape) {
            s.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(s))).build();
    }

    private NodeProto node(Node n) {
        NodeProto.Builder b = NodeProto.newBuilder().setName(n.name()).addAllOutput(n.outputs());
        b.addAllInput(n.inputs());
        switch (n.op()) {
            case CONV -> {
                Attrs.Conv a = n.attrs(Attrs.Conv.class);
                int[] w = graph.shape(n.input(1));
                b.setOpType("Conv").addAttribute(ints("kernel_shape", w[2], w[3]))
                        .addAttribute(ints("strides", a.strideH(), a.strideW()))
                        .addAttribute(ints("pads", a.padTop(), a.padLeft(), a.padBottom(), a.padRight()))
                        .addAttribute(ints("dilations", a.dilationH(), a.dilationW()))
                        .addAttribute(i("group", a.groups()));
            }
            case CONV_TRANSPOSE -> {
                Attrs.ConvTranspose a = n.attrs(Attrs.ConvTranspose.class);
                int[] w = graph.shape(n.input(1));
                b.setOpType("ConvTranspose").addAttribute(ints("kernel_shape", w[2], w[3]))
                        .addAttribute(ints("strides", a.strideH(), a.strideW()))
                        .addAttribute(ints("pads", a.padTop(), a.padLeft(), a.padBottom(), a.padRight()))
                        .addAttribute(ints("dilations", a.dilationH(), a.dilationW()))
                        .addAttribute(ints("output_padding", a.outPadH(), a.outPadW()))
                        .addAttribute(i("group", a.groups()));
            }
            case BATCH_NORM -> {
                Attrs.BatchNorm a = n.attrs(Attrs.BatchNorm.class);
                b.setOpType("BatchNormalization").addAttribute(f("epsilon", a.eps()))
                        .addAttribute(f("momentum", 1f - a.momentum()));
            }
            case RELU -> b.setOpType("Relu");
            case SIGMOID -> b.setOpType("Sigmoid");
            case TANH -> b.setOpType("Tanh");
            case EXP -> b.setOpType("Exp");
            case SLICE -> {
                Attrs.Slice a = n.attrs(Attrs.Slice.class);
                b.setOpType("Slice").addInput(longs(n.name() + "_starts", new long[] {a.start()}))
                        .addInput(longs(n.name() + "_ends", new long[] {a.end()}))
                        .addInput(longs(n.name() + "_axes", new long[] {a.axis()}))
                        .addInput(longs(n.name() + "_steps", new long[] {a.step()}));
            }
            case HARD_SWISH -> b.setOpType("HardSwish");
            case IDENTITY -> b.setOpType("Identity");
            case LEAKY_RELU -> b.setOpType("LeakyRelu").addAttribute(f("alpha", n.attrs(Attrs.LeakyRelu.class).alpha()));
            case HARD_SIGMOID -> {
                Attrs.HardSigmoid a = n.attrs(Attrs.HardSigmoid.class);
                b.setOpType("HardSigmoid").addAttribute(f("alpha", a.alpha())).addAttribute(f("beta", a.beta()));
            }
            case CLIP -> {
                Attrs.Clip a = n.attrs(Attrs.Clip.class);
                b.setOpType("Clip");
                b.addInput(Float.isInfinite(a.min()) ? "" : scalar(n.name() + "_min", a.min()));
                b.addInput(Float.isInfinite(a.max()) ? "" : scalar(n.name() + "_max", a.max()));
            }
            case ADD -> b.setOpType("Add");
            case SUB -> b.setOpType("Sub");
            case MUL -> b.setOpType("Mul");
            case DIV -> b.setOpType("Div");
            case CONCAT -> b.setOpType("Concat").addAttribute(i("axis", n.attrs(Attrs.Concat.class).axis()));
            case MAX_POOL, AVG_POOL -> {
                Attrs.Pool a = n.attrs(Attrs.Pool.class);
                b.setOpType(n.op() == Op.MAX_POOL ? "MaxPool" : "AveragePool")
                        .addAttribute(ints("kernel_shape", a.kernelH(), a.kernelW()))
                        .addAttribute(ints("strides", a.strideH(), a.strideW()))
                        .addAttribute(ints("pads", a.padTop(), a.padLeft(), a.padBottom(), a.padRight()))
                        .addAttribute(i("ceil_mode", a.ceilMode() ? 1 : 0));
                if (n.op() == Op.MAX_POOL) {
                    b.addAttribute(ints("dilations", a.dilationH(), a.dilationW()));
                } else {
                    if (a.dilationH() != 1 || a.dilationW() != 1) {
                        throw new IllegalArgumentException("ONNX export: node " + n.name()
                                + ": dilated average pooling has no ONNX opset 13 form");
                    }
                    b.addAttribute(i("count_include_pad", a.countIncludePad() ? 1 : 0));
                }
            }
            case GLOBAL_AVG_POOL -> b.setOpType("GlobalAveragePool");
            case REDUCE_MEAN -> {
                Attrs.ReduceMean a = n.attrs(Attrs.ReduceMean.class);
                b.setOpType("ReduceMean").addAttribute(i("keepdims", a.keepDims() ? 1 : 0));
                if (a.axes().length > 0) {
                    long[] axes = new long[a.axes().length];
                    for (int k = 0; k < axes.length; k++) {
                        axes[k] = a.axes()[k];
                    }
                    b.addAttribute(ints("axes", axes));
                }
            }
            case PAD -> {
                Attrs.Pad a = n.attrs(Attrs.Pad.class);
                long[] pads = new long[a.pads().length];
                for (int k = 0; k < pads.length; k++) {
                    pads[k] = a.pads()[k];
                }
                b.setOpType("Pad").addInput(longs(n.name() + "_pads", pads))
                        .addInput(scalar(n.name() + "_value", a.value()))
                        .addAttribute(s("mode", a.mode().name().toLowerCase(java.util.Locale.ROOT)));
            }
            case FLATTEN -> b.setOpType("Flatten").addAttribute(i("axis", n.attrs(Attrs.Flatten.class).axis()));
            case RESHAPE -> {
                Attrs.Reshape a = n.attrs(Attrs.Reshape.class);
                b.setOpType("Reshape").addInput(longs(n.name() + "_shape", a.shape()));
                if (a.allowZero()) {
                    b.addAttribute(i("allowzero", 1));
                }
            }
            case TRANSPOSE -> {
                int[] perm = n.attrs(Attrs.Transpose.class).perm();
                long[] p = new long[perm.length];
                for (int k = 0; k < p.length; k++) {
                    p[k] = perm[k];
                }
                b.setOpType("Transpose").addAttribute(ints("perm", p));
            }
            case GEMM -> {
                Attrs.Gemm a = n.attrs(Attrs.Gemm.class);
                b.setOpType("Gemm").addAttribute(f("alpha", a.alpha())).addAttribute(f("beta", a.beta()))
                        .addAttribute(i("transA", a.transA() ? 1 : 0)).addAttribute(i("transB", a.transB() ? 1 : 0));
            }
            case MATMUL -> b.setOpType("MatMul");
            case SOFTMAX -> {
                Attrs.Softmax a = n.attrs(Attrs.Softmax.class);
                b.setOpType("Softmax").addAttribute(i("axis", a.axis()));
            }
            case RESIZE -> {
                Attrs.Resize a = n.attrs(Attrs.Resize.class);
                b.setOpType("Resize").addInput("");
                if (a.scales() != null) {
                    b.addInput(floats(n.name() + "_scales", a.scales()));
                } else {
                    long[] sizes = new long[a.sizes().length];
                    for (int k = 0; k < sizes.length; k++) {
                        sizes[k] = a.sizes()[k];
                    }
                    b.addInput("").addInput(longs(n.name() + "_sizes", sizes));
                }
                b.addAttribute(s("mode", a.mode().name().toLowerCase(java.util.Locale.ROOT)))
                        .addAttribute(s("coordinate_transformation_mode", a.coordinates().name().toLowerCase(java.util.Locale.ROOT)))
                        .addAttribute(s("nearest_mode", a.nearest().name().toLowerCase(java.util.Locale.ROOT)));
            }
            default -> throw new IllegalArgumentException("ONNX export: node " + n.name() + ": op " + n.op().label()
                    + " has no ONNX form here");
        }
        return b.build();
    }

    /** Opset-11 softmax over the flattened tail: Flatten, Softmax over the last axis, Reshape back. */
    private void legacySoftmax(Node n) {
        int axis = n.attrs(Attrs.Softmax.class).axis();
        int[] shape = graph.shape(n.input(0));
        String flat = n.name() + "_flat";
        String soft = n.name() + "_softmax";
        out.addNode(NodeProto.newBuilder().setName(flat).setOpType("Flatten").addInput(n.input(0)).addOutput(flat)
                .addAttribute(i("axis", axis)));
        out.addNode(NodeProto.newBuilder().setName(soft).setOpType("Softmax").addInput(flat).addOutput(soft)
                .addAttribute(i("axis", 1)));
        long[] dims = new long[shape.length];
        for (int k = 0; k < dims.length; k++) {
            dims[k] = shape[k];
        }
        out.addNode(NodeProto.newBuilder().setName(n.name()).setOpType("Reshape").addInput(soft)
                .addInput(longs(n.name() + "_shape", dims)).addOutput(n.output()));
    }

    // ---- constants and attributes -------------------------------------------------------------------------

    private String scalar(String name, float value) {
        out.addInitializer(OnnxTensors.floats(name, Tensor.scalar(value)));
        return name;
    }

    private String floats(String name, float[] values) {
        out.addInitializer(OnnxTensors.floats(name, Tensor.of(values.clone(), values.length)));
        return name;
    }

    private String longs(String name, long[] values) {
        out.addInitializer(OnnxTensors.longs(name, values, values.length));
        return name;
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static AttributeProto i(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static AttributeProto f(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    private static AttributeProto s(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(value)).build();
    }
}
