package org.legodnn.graph.onnx;

import java.util.ArrayList;
import java.util.List;
import org.legodnn.graph.onnx.proto.OnnxProto.AttributeProto;
import org.legodnn.graph.onnx.proto.OnnxProto.GraphProto;
import org.legodnn.graph.onnx.proto.OnnxProto.ModelProto;
import org.legodnn.graph.onnx.proto.OnnxProto.NodeProto;
import org.legodnn.graph.onnx.proto.OnnxProto.OperatorSetIdProto;
import org.legodnn.graph.onnx.proto.OnnxProto.TensorProto;
import org.legodnn.graph.onnx.proto.OnnxProto.TensorShapeProto;
import org.legodnn.graph.onnx.proto.OnnxProto.TypeProto;
import org.legodnn.graph.onnx.proto.OnnxProto.ValueInfoProto;
import org.legodnn.tensor.Tensor;

/** Builds small ONNX models by hand for the importer tests: inputs, initializers, nodes, one output. */
final class TestModel {

    private final int opset;
    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("test");
    private String last;
    private int count;

    TestModel(int opset) {
        this.opset = opset;
    }

    TestModel input(String name, int... shape) {
        graph.addInput(valueInfo(name, shape));
        return this;
    }

    TestModel init(String name, Tensor t) {
        graph.addInitializer(OnnxTensors.floats(name, t));
        return this;
    }

    TestModel initLongs(String name, long... values) {
        graph.addInitializer(OnnxTensors.longs(name, values, values.length));
        return this;
    }

    TestModel initFloats(String name, float... values) {
        graph.addInitializer(OnnxTensors.floats(name, Tensor.of(values.clone(), values.length)));
        return this;
    }

    /** A node whose output is named {@code out}; the last node's output is the model's output. */
    TestModel node(String opType, List<String> inputs, String out, AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).setName(opType + "_" + count++).addOutput(out);
        n.addAllInput(inputs);
        for (AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        last = out;
        return this;
    }

    /** A node with several outputs (Split); an empty name leaves that output unused. */
    TestModel nodeOutputs(String opType, List<String> inputs, List<String> outs, AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).setName(opType + "_" + count++).addAllOutput(outs);
        n.addAllInput(inputs);
        for (AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        last = outs.get(0);
        return this;
    }

    TestModel node(String opType, List<String> inputs, AttributeProto... attrs) {
        return node(opType, inputs, "y", attrs);
    }

    ModelProto build() {
        return build(last);
    }

    /** The model with these values as its outputs, in order. */
    ModelProto build(String... outputs) {
        GraphProto.Builder g = graph.clone();
        for (String o : outputs) {
            g.addOutput(ValueInfoProto.newBuilder().setName(o).setType(TypeProto.newBuilder()
                    .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))));
        }
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("legodnn-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(g).build();
    }

    static ValueInfoProto valueInfo(String name, int... shape) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (int d : shape) {
            s.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(s))).build();
    }

    static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    static AttributeProto i(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    static AttributeProto f(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    static AttributeProto s(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(value)).build();
    }

    static AttributeProto tensorAttr(String name, Tensor value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR)
                .setT(OnnxTensors.floats("", value)).build();
    }

    static List<String> in(String... names) {
        return new ArrayList<>(List.of(names));
    }
}
