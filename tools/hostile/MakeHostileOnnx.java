import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.legodnn.graph.onnx.proto.OnnxProto.AttributeProto;
import org.legodnn.graph.onnx.proto.OnnxProto.GraphProto;
import org.legodnn.graph.onnx.proto.OnnxProto.ModelProto;
import org.legodnn.graph.onnx.proto.OnnxProto.NodeProto;
import org.legodnn.graph.onnx.proto.OnnxProto.OperatorSetIdProto;
import org.legodnn.graph.onnx.proto.OnnxProto.TensorProto;
import org.legodnn.graph.onnx.proto.OnnxProto.TensorShapeProto;
import org.legodnn.graph.onnx.proto.OnnxProto.TypeProto;
import org.legodnn.graph.onnx.proto.OnnxProto.ValueInfoProto;

/**
 * Writes the crafted hostile ONNX models of HostileInputsTest: a tiny valid model (Conv, Relu, MaxPool,
 * Reshape, Gemm on a 1x2x6x6 input) with one thing made wrong per file. Run from the repository root with the
 * graph module's classes and protobuf on the class path (see tools/hostile/README.md).
 */
public class MakeHostileOnnx {

    static final Path DIR = Path.of("legodnn/src/test/resources/hostile/onnx");

    public static void main(String[] args) throws Exception {
        Files.createDirectories(DIR);
        ModelProto base = base();
        write("valid_reference_not_in_corpus", base, false);
        edit("conv_pads_2485", base, g -> attr(g, "Conv", ints("pads", 2485, 2485, 2485, 2485)));
        edit("conv_pads_100000", base, g -> attr(g, "Conv", ints("pads", 100000, 100000, 100000, 100000)));
        edit("conv_pads_beyond_int", base, g -> attr(g, "Conv", ints("pads", 1L << 40, 0, 0, 0)));
        edit("conv_pads_negative", base, g -> attr(g, "Conv", ints("pads", -1, 0, 0, 0)));
        edit("conv_pads_three_values", base, g -> attr(g, "Conv", ints("pads", 1, 1, 1)));
        edit("conv_strides_zero", base, g -> attr(g, "Conv", ints("strides", 0, 1)));
        edit("conv_dilations_zero", base, g -> attr(g, "Conv", ints("dilations", 1, 0)));
        edit("conv_dilations_huge", base, g -> attr(g, "Conv", ints("dilations", 1 << 30, 1 << 30)));
        edit("conv_group_zero", base, g -> attr(g, "Conv", AttributeProto.newBuilder().setName("group").setType(AttributeProto.AttributeType.INT).setI(0).build()));
        edit("conv_group_is_a_string", base, g -> attr(g, "Conv", AttributeProto.newBuilder().setName("group").setType(AttributeProto.AttributeType.STRING).setS(com.google.protobuf.ByteString.copyFromUtf8("2")).build()));
        edit("conv_group_does_not_divide", base, g -> attr(g, "Conv", AttributeProto.newBuilder().setName("group").setType(AttributeProto.AttributeType.INT).setI(3).build()));
        edit("conv_kernel_shape_disagrees", base, g -> attr(g, "Conv", ints("kernel_shape", 5, 5)));
        edit("conv_unknown_attribute", base, g -> attr(g, "Conv", ints("frobnicate", 1)));
        edit("conv_weight_rank_2", base, g -> g.setInitializer(0, floats("w", new float[9 * 6], 6, 9)));
        edit("conv_weight_dims_announce_billions", base, g -> g.setInitializer(0, g.getInitializer(0).toBuilder().clearDims().addDims(100000).addDims(100000).addDims(3).addDims(3).build()));
        edit("tensor_raw_data_short", base, g -> g.setInitializer(0, g.getInitializer(0).toBuilder().setRawData(com.google.protobuf.ByteString.copyFrom(new byte[10])).build()));
        edit("tensor_float_data_count_wrong", base, g -> g.addInitializer(TensorProto.newBuilder().setName("extra").setDataType(1).addDims(1 << 30).addFloatData(1f)));
        edit("tensor_negative_dimension", base, g -> g.setInitializer(1, g.getInitializer(1).toBuilder().setDims(0, -3).build()));
        edit("tensor_rank_40", base, g -> { TensorProto.Builder t = TensorProto.newBuilder().setName("deep").setDataType(1); for (int i = 0; i < 40; i++) { t.addDims(1); } g.addInitializer(t.addFloatData(0)); });
        edit("tensor_external_data", base, g -> g.setInitializer(0, g.getInitializer(0).toBuilder().clearRawData().setDataLocation(TensorProto.DataLocation.EXTERNAL).build()));
        edit("tensor_unknown_type", base, g -> g.setInitializer(1, g.getInitializer(1).toBuilder().setDataType(999).build()));
        edit("tensor_string_type", base, g -> g.setInitializer(1, g.getInitializer(1).toBuilder().setDataType(8).build()));
        edit("pool_pads_equal_kernel", base, g -> attr(g, "MaxPool", ints("pads", 2, 2, 2, 2)));
        edit("pool_kernel_zero", base, g -> attr(g, "MaxPool", ints("kernel_shape", 0, 2)));
        edit("pool_kernel_huge", base, g -> attr(g, "MaxPool", ints("kernel_shape", 1 << 30, 1 << 30)));
        edit("pool_kernel_missing", base, g -> removeAttr(g, "MaxPool", "kernel_shape"));
        edit("reshape_to_billions", base, g -> g.setInitializer(3, longs("shape", 1000000000L, 1000000000L)));
        edit("reshape_wrong_count", base, g -> g.setInitializer(3, longs("shape", 1, 7)));
        edit("reshape_two_minus_ones", base, g -> g.setInitializer(3, longs("shape", -1, -1)));
        edit("reshape_dimension_beyond_int", base, g -> g.setInitializer(3, longs("shape", 1L << 33, -1)));
        edit("gemm_inner_mismatch", base, g -> g.setInitializer(4, floats("fw", new float[4 * 5], 4, 5)));
        edit("no_outputs", base, GraphProto.Builder::clearOutput);
        edit("output_computed_by_nothing", base, g -> g.setOutput(0, g.getOutput(0).toBuilder().setName("nowhere")));
        edit("node_input_undefined", base, g -> g.setNode(1, g.getNode(1).toBuilder().setInput(0, "ghost")));
        edit("nodes_out_of_order", base, g -> { NodeProto a = g.getNode(0); NodeProto b = g.getNode(1); g.setNode(0, b).setNode(1, a); });
        edit("op_unsupported", base, g -> g.setNode(1, g.getNode(1).toBuilder().setOpType("Einsum")));
        edit("op_domain_unknown", base, g -> g.setNode(1, g.getNode(1).toBuilder().setDomain("com.example")));
        edit("node_without_output", base, g -> g.setNode(1, g.getNode(1).toBuilder().clearOutput()));
        edit("input_dimension_zero", base, g -> dim(g, 2, 0));
        edit("input_dimension_negative", base, g -> dim(g, 2, -5));
        edit("input_dimension_beyond_int", base, g -> dim(g, 2, 1L << 33));
        edit("input_announces_terabytes", base, g -> { dim(g, 2, 1000000); dim(g, 3, 1000000); });
        edit("input_not_float", base, g -> g.setInput(0, g.getInput(0).toBuilder().setType(g.getInput(0).getType().toBuilder().setTensorType(g.getInput(0).getType().getTensorType().toBuilder().setElemType(7)))));
        edit("input_without_shape", base, g -> g.setInput(0, g.getInput(0).toBuilder().setType(g.getInput(0).getType().toBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(1)))));
        edit("input_rank_2_into_conv", base, g -> g.setInput(0, valueInfo("x", 1, 72)));
        write("opset_2pow32_plus_13", base.toBuilder().setOpsetImport(0, OperatorSetIdProto.newBuilder().setVersion((1L << 32) + 13)).build(), true);
        write("opset_10", base.toBuilder().setOpsetImport(0, OperatorSetIdProto.newBuilder().setVersion(10)).build(), true);
        write("opset_missing", base.toBuilder().clearOpsetImport().build(), true);
        edit("resize_scales_million", base, g -> { g.addInitializer(floats("sc", new float[] {1, 1, 1e6f, 1e6f}, 4)); addAfterRelu(g, NodeProto.newBuilder().setOpType("Resize").setName("rs").addInput("r").addInput("").addInput("sc").addOutput("r2")); });
        edit("resize_scales_nan", base, g -> { g.addInitializer(floats("sc", new float[] {1, 1, Float.NaN, 2}, 4)); addAfterRelu(g, NodeProto.newBuilder().setOpType("Resize").setName("rs").addInput("r").addInput("").addInput("sc").addOutput("r2")); });
        edit("pad_op_billions", base, g -> { g.addInitializer(longs("pp", 0, 0, 0, 0, 0, 0, 1000000000L, 1000000000L)); addAfterRelu(g, NodeProto.newBuilder().setOpType("Pad").setName("pd").addInput("r").addInput("pp").addOutput("r2")); });
        edit("constant_of_shape_billions", base, g -> { g.addInitializer(longs("cs", 1000000000L, 1000L)); g.addNode(0, NodeProto.newBuilder().setOpType("ConstantOfShape").setName("cos").addInput("cs").addOutput("big")); });
        edit("range_billions", base, g -> { g.addInitializer(longs("r0", 0)); g.addInitializer(longs("r1", 4000000000L)); g.addInitializer(longs("r2", 1)); g.addNode(0, NodeProto.newBuilder().setOpType("Range").setName("rg").addInput("r0").addInput("r1").addInput("r2").addOutput("big")); });
        edit("gather_index_out_of_range", base, g -> { g.addInitializer(longs("gd", 1, 2, 3)); g.addInitializer(longs("gi", 7)); g.addNode(0, NodeProto.newBuilder().setOpType("Gather").setName("ga").addInput("gd").addInput("gi").addOutput("gx")); });
        edit("transpose_perm_short", base, g -> addAfterRelu(g, NodeProto.newBuilder().setOpType("Transpose").setName("tp").addInput("r").addOutput("r2").addAttribute(ints("perm", 0, 1))));
        edit("concat_axis_out_of_range", base, g -> addAfterRelu(g, NodeProto.newBuilder().setOpType("Concat").setName("cc").addInput("r").addInput("r").addOutput("r2").addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(9))));
        edit("dropout_training_mode_empty", base, g -> { g.addInitializer(TensorProto.newBuilder().setName("tm").setDataType(9).addDims(0)); addAfterRelu(g, NodeProto.newBuilder().setOpType("Dropout").setName("dp").addInput("r").addInput("").addInput("tm").addOutput("r2")); });
        Files.write(DIR.resolve("empty.onnx"), new byte[0]);
        Files.write(DIR.resolve("text.onnx"), "graph { node { op_type: \"Conv\" } }\n".getBytes());
        byte[] ok = base.toByteArray();
        Files.write(DIR.resolve("truncated.onnx"), java.util.Arrays.copyOf(ok, ok.length / 2));
        Files.write(DIR.resolve("safetensors_given_as_onnx.onnx"), Files.readAllBytes(Path.of("testdata/pytorch/ops/relu.safetensors")));
        Files.write(DIR.resolve("pytorch_zip_given_as_onnx.onnx"), ("PK\u0003\u0004" + "\0".repeat(40)).getBytes());
    }

    /** Conv(w, b) → Relu → MaxPool 2×2 → Reshape [1, 18] → Gemm(fw) on x of 1×2×6×6. */
    static ModelProto base() {
        GraphProto.Builder g = GraphProto.newBuilder().setName("tiny");
        g.addInput(valueInfo("x", 1, 2, 6, 6));
        g.addInitializer(floats("w", weights(2 * 2 * 3 * 3), 2, 2, 3, 3));
        g.addInitializer(floats("b", new float[2], 2));
        g.addInitializer(floats("unused", new float[1], 1));
        g.addInitializer(longs("shape", 1, 18));
        g.addInitializer(floats("fw", weights(18 * 4), 18, 4));
        g.addNode(NodeProto.newBuilder().setOpType("Conv").setName("conv").addInput("x").addInput("w").addInput("b").addOutput("c")
                .addAttribute(ints("pads", 1, 1, 1, 1)).addAttribute(ints("kernel_shape", 3, 3)));
        g.addNode(NodeProto.newBuilder().setOpType("Relu").setName("relu").addInput("c").addOutput("r"));
        g.addNode(NodeProto.newBuilder().setOpType("MaxPool").setName("pool").addInput("r").addOutput("p")
                .addAttribute(ints("kernel_shape", 2, 2)).addAttribute(ints("strides", 2, 2)));
        g.addNode(NodeProto.newBuilder().setOpType("Reshape").setName("flat").addInput("p").addInput("shape").addOutput("f"));
        g.addNode(NodeProto.newBuilder().setOpType("Gemm").setName("fc").addInput("f").addInput("fw").addOutput("y"));
        g.addOutput(ValueInfoProto.newBuilder().setName("y").setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(1))));
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("legodnn-hostile")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13)).setGraph(g).build();
    }

    static void edit(String name, ModelProto base, Consumer<GraphProto.Builder> change) throws Exception {
        ModelProto.Builder m = base.toBuilder();
        change.accept(m.getGraphBuilder());
        write(name, m.build(), true);
    }

    static void write(String name, ModelProto m, boolean hostile) throws Exception {
        if (hostile) {
            Files.write(DIR.resolve(name + ".onnx"), m.toByteArray());
        }
    }

    static void addAfterRelu(GraphProto.Builder g, NodeProto.Builder n) {
        g.addNode(2, n);
        g.setNode(3, g.getNode(3).toBuilder().setInput(0, n.getOutput(0)));
    }

    static void attr(GraphProto.Builder g, String op, AttributeProto a) {
        for (NodeProto.Builder n : g.getNodeBuilderList()) {
            if (n.getOpType().equals(op)) {
                for (int k = 0; k < n.getAttributeCount(); k++) {
                    if (n.getAttribute(k).getName().equals(a.getName())) {
                        n.setAttribute(k, a);
                        return;
                    }
                }
                n.addAttribute(a);
                return;
            }
        }
    }

    static void removeAttr(GraphProto.Builder g, String op, String name) {
        for (NodeProto.Builder n : g.getNodeBuilderList()) {
            if (n.getOpType().equals(op)) {
                for (int k = 0; k < n.getAttributeCount(); k++) {
                    if (n.getAttribute(k).getName().equals(name)) {
                        n.removeAttribute(k);
                        return;
                    }
                }
            }
        }
    }

    static void dim(GraphProto.Builder g, int d, long value) {
        g.getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().getDimBuilder(d).setDimValue(value);
    }

    static ValueInfoProto valueInfo(String name, long... shape) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : shape) {
            s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(s))).build();
    }

    static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    /** {@code n} small weights, 0.01 · (i mod 7). */
    static float[] weights(int n) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = 0.01f * (i % 7);
        }
        return w;
    }

    static TensorProto floats(String name, float[] values, long... dims) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * values.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(1).setRawData(com.google.protobuf.ByteString.copyFrom(b.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    static TensorProto longs(String name, long... values) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(7).addDims(values.length);
        for (long v : values) {
            t.addInt64Data(v);
        }
        return t.build();
    }
}
