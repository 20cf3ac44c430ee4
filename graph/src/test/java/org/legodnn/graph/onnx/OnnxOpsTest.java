package org.legodnn.graph.onnx;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.legodnn.graph.onnx.TestModel.f;
import static org.legodnn.graph.onnx.TestModel.i;
import static org.legodnn.graph.onnx.TestModel.in;
import static org.legodnn.graph.onnx.TestModel.ints;
import static org.legodnn.graph.onnx.TestModel.s;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.legodnn.graph.Graph;
import org.legodnn.graph.exec.Interpreter;
import org.legodnn.graph.onnx.proto.OnnxProto.ModelProto;
import org.legodnn.graph.onnx.proto.OnnxProto.OperatorSetIdProto;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * Every supported ONNX op and attribute, on small random inputs: the importer plus interpreter must agree
 * with ONNX Runtime (relative 1e-4, absolute below 1e-5), and so must ONNX Runtime on the re-exported graph.
 */
class OnnxOpsTest {

    private final Random rnd = new Random(11);

    private Tensor randn(int... shape) {
        return Tensor.randn(rnd, shape);
    }

    /** Imports and runs {@code model} on the inputs and compares with ONNX Runtime. */
    private static void check(ModelProto model, Object... namesAndTensors) throws Exception {
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (int k = 0; k < namesAndTensors.length; k += 2) {
            inputs.put((String) namesAndTensors[k], (Tensor) namesAndTensors[k + 1]);
        }
        Tensor expected = OrtRunner.run(model, inputs).values().iterator().next();
        Graph g = OnnxImporter.fromModel(model, "test");
        Tensor actual = Interpreter.run(g, inputs).values().iterator().next();
        String what = model.getGraph().getNode(model.getGraph().getNodeCount() - 1).getOpType();
        assertTrue(actual.sameShape(expected.shape()), what + ": shape " + Shapes.format(actual.shape()) + ", ORT "
                + Shapes.format(expected.shape()));
        float[] a = actual.data();
        float[] e = expected.data();
        for (int k = 0; k < a.length; k++) {
            double tol = 1e-5 + 1e-4 * Math.abs(e[k]);
            if (!(Math.abs(a[k] - e[k]) <= tol)) {
                throw new AssertionError(what + ": value " + k + " is " + a[k] + ", ORT " + e[k]);
            }
        }
        // exported again, ONNX Runtime computes the same
        Tensor again = OrtRunner.run(OnnxExporter.toModel(g), inputs).values().iterator().next();
        for (int k = 0; k < a.length; k++) {
            if (!(Math.abs(again.data()[k] - e[k]) <= 1e-5 + 1e-4 * Math.abs(e[k]))) {
                throw new AssertionError(what + " exported: value " + k + " is " + again.data()[k] + ", ORT " + e[k]);
            }
        }
        // the graph's own shape inference agrees with the result
        assertTrue(java.util.Arrays.equals(g.shape(g.outputs().get(0)), expected.shape())
                || g.inputs().get(0).shape()[0] < 0, what + ": inferred shape");
    }

    @Test
    void convolutions() throws Exception {
        Tensor x = randn(2, 4, 9, 8);
        Tensor w = randn(6, 2, 3, 3);
        Tensor b = randn(6);
        check(new TestModel(13).input("x", 2, 4, 9, 8).init("w", w).init("b", b)
                .node("Conv", in("x", "w", "b"), i("group", 2), ints("strides", 2, 1), ints("pads", 1, 1, 1, 1),
                        ints("dilations", 2, 1)).build(), "x", x);
        check(new TestModel(13).input("x", 2, 4, 9, 8).init("w", randn(5, 4, 3, 2))
                .node("Conv", in("x", "w"), ints("pads", 0, 1, 2, 1), ints("strides", 2, 2)).build(), "x", x);
        for (String mode : new String[] {"SAME_UPPER", "SAME_LOWER", "VALID"}) {
            check(new TestModel(13).input("x", 2, 4, 9, 8).init("w", randn(3, 4, 4, 3))
                    .node("Conv", in("x", "w"), s("auto_pad", mode), ints("strides", 2, 2)).build(), "x", x);
        }
        Tensor dw = randn(4, 1, 3, 3);
        check(new TestModel(11).input("x", 2, 4, 9, 8).init("w", dw).node("Conv", in("x", "w"), i("group", 4),
                ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1)).build(), "x", x);
    }

    @Test
    void transposedConvolutions() throws Exception {
        Tensor x = randn(2, 4, 5, 6);
        check(new TestModel(13).input("x", 2, 4, 5, 6).init("w", randn(4, 3, 3, 3)).init("b", randn(6))
                .node("ConvTranspose", in("x", "w", "b"), i("group", 2), ints("strides", 2, 2), ints("pads", 1, 1, 1, 1),
                        ints("output_padding", 1, 1)).build(), "x", x);
        check(new TestModel(13).input("x", 2, 4, 5, 6).init("w", randn(4, 2, 2, 3))
                .node("ConvTranspose", in("x", "w"), ints("strides", 2, 1), ints("pads", 0, 1, 1, 0),
                        ints("dilations", 2, 1)).build(), "x", x);
    }

    @Test
    void batchNormAndActivations() throws Exception {
        Tensor x = randn(2, 3, 4, 5);
        Tensor var = Tensor.uniform(rnd, 0.5f, 2f, 3);
        check(new TestModel(13).input("x", 2, 3, 4, 5).init("g", randn(3)).init("b", randn(3)).init("m", randn(3))
                .init("v", var).node("BatchNormalization", in("x", "g", "b", "m", "v"), f("epsilon", 1e-3f)).build(), "x", x);
        check(new TestModel(13).input("x", 2, 3).init("g", randn(3)).init("b", randn(3)).init("m", randn(3))
                .init("v", var).node("BatchNormalization", in("x", "g", "b", "m", "v")).build(), "x", randn(2, 3));
        check(new TestModel(13).input("x", 2, 3, 4, 5).node("Relu", in("x")).build(), "x", x);
        check(new TestModel(13).input("x", 2, 3, 4, 5).node("Sigmoid", in("x")).build(), "x", x);
        check(new TestModel(13).input("x", 2, 3, 4, 5).node("LeakyRelu", in("x"), f("alpha", 0.2f)).build(), "x", x);
        check(new TestModel(13).input("x", 2, 3, 4, 5).node("HardSigmoid", in("x"), f("alpha", 0.3f), f("beta", 0.4f))
                .build(), "x", x);
        check(new TestModel(14).input("x", 2, 3, 4, 5).node("HardSwish", in("x")).build(), "x", Tensor.of(
                scale(x.data(), 4f), x.shape()));
        check(new TestModel(13).input("x", 2, 3, 4, 5).initFloats("lo", 0f).initFloats("hi", 6f)
                .node("Clip", in("x", "lo", "hi")).build(), "x", Tensor.of(scale(x.data(), 5f), x.shape()));
        check(new TestModel(11).input("x", 2, 3, 4, 5).node("Constant", in(), "hi",
                        TestModel.tensorAttr("value", Tensor.scalar(0.5f)))
                .node("Clip", in("x", "", "hi")).build(), "x", x);
        check(new TestModel(13).input("x", 2, 3).node("Identity", in("x")).build(), "x", randn(2, 3));
        check(new TestModel(13).input("x", 2, 3).init("r", Tensor.scalar(0.3f)).node("Dropout", in("x", "r")).build(), "x", randn(2, 3));
    }

    private static float[] scale(float[] v, float s) {
        float[] out = v.clone();
        for (int k = 0; k < out.length; k++) {
            out[k] *= s;
        }
        return out;
    }

    @Test
    void broadcastingArithmetic() throws Exception {
        Tensor x = randn(2, 3, 4, 5);
        int[][] others = {{2, 3, 4, 5}, {3, 1, 1}, {1, 3, 1, 1}, {}, {5}, {2, 1, 4, 1}};
        for (String op : new String[] {"Add", "Sub", "Mul", "Div"}) {
            for (int[] shape : others) {
                Tensor c = Tensor.uniform(rnd, 0.5f, 2f, shape);
                check(new TestModel(13).input("x", 2, 3, 4, 5).init("c", c).node(op, in("x", "c")).build(), "x", x);
            }
            check(new TestModel(13).input("a", 2, 1, 4, 1).input("b", 1, 3, 1, 5).node(op, in("a", "b")).build(),
                    "a", randn(2, 1, 4, 1), "b", Tensor.uniform(rnd, 0.5f, 2f, 1, 3, 1, 5));
        }
        check(new TestModel(13).input("x", 2, 3).node("Constant", in(), "c", TestModel.tensorAttr("value", randn(3)))
                .node("Mul", in("c", "x")).build(), "x", randn(2, 3));
    }

    @Test
    void concatenation() throws Exception {
        check(new TestModel(13).input("a", 2, 3, 4).input("b", 2, 1, 4).input("c", 2, 2, 4)
                .node("Concat", in("a", "b", "c"), i("axis", 1)).build(), "a", randn(2, 3, 4), "b", randn(2, 1, 4),
                "c", randn(2, 2, 4));
        check(new TestModel(13).input("a", 2, 3, 4).input("b", 2, 3, 2).node("Concat", in("a", "b"), i("axis", -1))
                .build(), "a", randn(2, 3, 4), "b", randn(2, 3, 2));
    }

    @Test
    void pooling() throws Exception {
        Tensor x = randn(2, 3, 9, 10);
        check(new TestModel(13).input("x", 2, 3, 9, 10).node("MaxPool", in("x"), ints("kernel_shape", 3, 3),
                ints("strides", 2, 2), ints("pads", 1, 1, 1, 1), i("ceil_mode", 1)).build(), "x", x);
        check(new TestModel(13).input("x", 2, 3, 9, 10).node("MaxPool", in("x"), ints("kernel_shape", 2, 3),
                ints("strides", 2, 2), i("ceil_mode", 1)).build(), "x", x);
        check(new TestModel(13).input("x", 2, 3, 9, 10).node("MaxPool", in("x"), ints("kernel_shape", 2, 2),
                ints("dilations", 2, 2), ints("pads", 0, 1, 1, 0)).build(), "x", x);
        check(new TestModel(13).input("x", 2, 3, 9, 10).node("MaxPool", in("x"), ints("kernel_shape", 3, 3),
                ints("strides", 2, 2), s("auto_pad", "SAME_UPPER")).build(), "x", x);
        for (int include = 0; include < 2; include++) {
            check(new TestModel(13).input("x", 2, 3, 9, 10).node("AveragePool", in("x"), ints("kernel_shape", 3, 3),
                    ints("strides", 2, 2), ints("pads", 1, 1, 1, 1), i("count_include_pad", include)).build(), "x", x);
            check(new TestModel(13).input("x", 2, 3, 9, 10).node("AveragePool", in("x"), ints("kernel_shape", 3, 2),
                    ints("strides", 2, 3), ints("pads", 1, 0, 0, 1), i("count_include_pad", include)).build(), "x", x);
        }
        check(new TestModel(13).input("x", 2, 3, 9, 10).node("AveragePool", in("x"), ints("kernel_shape", 2, 2),
                ints("strides", 2, 2), i("ceil_mode", 1)).build(), "x", x);
        check(new TestModel(13).input("x", 2, 3, 9, 10).node("GlobalAveragePool", in("x")).build(), "x", x);
        check(new TestModel(13).input("x", 2, 3, 9, 10).node("ReduceMean", in("x"), ints("axes", 2, 3)).build(), "x", x);
        check(new TestModel(13).input("x", 2, 3, 9, 10).node("ReduceMean", in("x"), ints("axes", -1, 2),
                i("keepdims", 0)).build(), "x", x);
    }

    @Test
    void padding() throws Exception {
        Tensor x = randn(1, 2, 4, 5);
        for (String mode : new String[] {"constant", "reflect", "edge"}) {
            check(new TestModel(13).input("x", 1, 2, 4, 5).initLongs("p", 0, 0, 1, 2, 0, 1, 2, 1).initFloats("v", 1.5f)
                    .node("Pad", in("x", "p", "v"), s("mode", mode)).build(), "x", x);
        }
        check(new TestModel(11).input("x", 1, 2, 4, 5).initLongs("p", 0, 0, 1, 0, 0, 0, 0, 2)
                .node("Pad", in("x", "p")).build(), "x", x);
    }

    @Test
    void shapes() throws Exception {
        Tensor x = randn(2, 3, 4, 5);
        for (int axis : new int[] {0, 1, 2, -1}) {
            check(new TestModel(13).input("x", 2, 3, 4, 5).node("Flatten", in("x"), i("axis", axis)).build(), "x", x);
        }
        check(new TestModel(13).input("x", 2, 3, 4, 5).initLongs("s", 0, -1, 5).node("Reshape", in("x", "s")).build(), "x", x);
        check(new TestModel(13).input("x", 2, 3, 4, 5).node("Transpose", in("x"), ints("perm", 0, 2, 3, 1)).build(), "x", x);
        check(new TestModel(13).input("x", 2, 3, 4, 5).node("Transpose", in("x")).build(), "x", x);
        check(new TestModel(13).input("x", -1, 3, 4, 5).node("Flatten", in("x")).build(), "x", x);
    }

    @Test
    void matrices() throws Exception {
        check(new TestModel(13).input("a", 4, 3).init("b", randn(5, 3)).init("c", randn(5))
                .node("Gemm", in("a", "b", "c"), i("transB", 1)).build(), "a", randn(4, 3));
        check(new TestModel(13).input("a", 3, 4).init("b", randn(3, 5)).init("c", randn(4, 5))
                .node("Gemm", in("a", "b", "c"), i("transA", 1), f("alpha", 0.5f), f("beta", 2f)).build(), "a", randn(3, 4));
        check(new TestModel(13).input("a", 4, 3).init("b", randn(3, 5)).node("Gemm", in("a", "b")).build(), "a", randn(4, 3));
        check(new TestModel(13).input("a", 4, 3).init("b", randn(3, 5)).node("MatMul", in("a", "b")).build(), "a", randn(4, 3));
        check(new TestModel(13).input("a", 2, 4, 3).init("b", randn(3, 5)).node("MatMul", in("a", "b")).build(),
                "a", randn(2, 4, 3));
        check(new TestModel(13).input("a", 2, 1, 4, 3).input("b", 1, 3, 3, 2).node("MatMul", in("a", "b")).build(),
                "a", randn(2, 1, 4, 3), "b", randn(1, 3, 3, 2));
    }

    @Test
    void softmax() throws Exception {
        Tensor x = randn(2, 3, 4);
        check(new TestModel(13).input("x", 2, 3, 4).node("Softmax", in("x")).build(), "x", x);
        check(new TestModel(13).input("x", 2, 3, 4).node("Softmax", in("x"), i("axis", 1)).build(), "x", x);
        check(new TestModel(11).input("x", 2, 3, 4).node("Softmax", in("x"), i("axis", 1)).build(), "x", x);
        check(new TestModel(11).input("x", 2, 3, 4).node("Softmax", in("x")).build(), "x", x);
    }

    @Test
    void resize() throws Exception {
        Tensor x = randn(1, 2, 3, 4);
        check(new TestModel(13).input("x", 1, 2, 3, 4).initFloats("scales", 1, 1, 2, 2)
                .node("Resize", in("x", "", "scales"), s("mode", "nearest"), s("coordinate_transformation_mode", "asymmetric"),
                        s("nearest_mode", "floor")).build(), "x", x);
        check(new TestModel(13).input("x", 1, 2, 3, 4).initLongs("sizes", 1, 2, 5, 7)
                .node("Resize", in("x", "", "", "sizes"), s("mode", "nearest")).build(), "x", x);
        check(new TestModel(11).input("x", 1, 2, 3, 4).initFloats("roi").initFloats("scales", 1, 1, 2, 2)
                .node("Resize", in("x", "roi", "scales"), s("mode", "linear")).build(), "x", x);
        for (String coords : new String[] {"align_corners", "pytorch_half_pixel", "asymmetric", "half_pixel"}) {
            check(new TestModel(13).input("x", 1, 2, 3, 4).initLongs("sizes", 1, 2, 7, 5)
                    .node("Resize", in("x", "", "", "sizes"), s("mode", "linear"),
                            s("coordinate_transformation_mode", coords)).build(), "x", x);
            check(new TestModel(13).input("x", 1, 2, 3, 4).initLongs("sizes", 1, 2, 7, 9)
                    .node("Resize", in("x", "", "", "sizes"), s("mode", "nearest"), s("nearest_mode", "round_prefer_ceil"),
                            s("coordinate_transformation_mode", coords)).build(), "x", x);
        }
    }

    @Test
    void unsupportedOpsAndAttributesNameTheNodeAndOpset() {
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.fromModel(
                new TestModel(13).input("x", 2, 3).node("Erf", in("x")).build(), "test"));
        assertTrue(e.getMessage().contains("Erf") && e.getMessage().contains("Erf_0") && e.getMessage().contains("opset 13"),
                e.getMessage());
        e = assertThrows(OnnxImportException.class, () -> OnnxImporter.fromModel(
                new TestModel(13).input("x", 2, 3).node("LeakyRelu", in("x"), f("beta", 1f)).build(), "test"));
        assertTrue(e.getMessage().contains("beta"), e.getMessage());
        e = assertThrows(OnnxImportException.class, () -> OnnxImporter.fromModel(
                new TestModel(13).input("x", 1, 2, 5).init("w", Tensor.zeros(2, 2, 3)).node("Conv", in("x", "w")).build(),
                "test"));
        assertTrue(e.getMessage().contains("Conv") && e.getMessage().contains("2-D"), e.getMessage());
        e = assertThrows(OnnxImportException.class, () -> OnnxImporter.fromModel(
                new TestModel(19).input("x", 2, 3).node("Relu", in("x")).build(), "test"));
        assertTrue(e.getMessage().contains("opset 19") && e.getMessage().contains("11 to 18"), e.getMessage());
        e = assertThrows(OnnxImportException.class, () -> OnnxImporter.fromModel(
                new TestModel(13).input("x", 1, 2, 3, 3).node("Resize", in("x", "", "", "sz"), s("mode", "cubic")).build(),
                "test"));
        assertTrue(e.getMessage().contains("cubic"), e.getMessage());
    }

    @Test
    void hostileAttributesFailWithTheNodeNamed() {
        String[][] cases = {
            {"strides", "every value must be a positive int"},
            {"dilations", "every value must be a positive int"},
            {"group", "expected INT"},
            {"weight", "expected 4 dimensions"},
        };
        for (String[] c : cases) {
            TestModel m = new TestModel(13).input("x", 1, 2, 5, 5);
            OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.fromModel(switch (c[0]) {
                case "strides" -> m.init("w", Tensor.zeros(2, 2, 3, 3)).node("Conv", in("x", "w"), ints("strides", 0, 1)).build();
                case "dilations" -> m.init("w", Tensor.zeros(2, 2, 3, 3)).node("Conv", in("x", "w"), ints("dilations", 1, -2)).build();
                case "group" -> m.init("w", Tensor.zeros(2, 2, 3, 3)).node("Conv", in("x", "w"), f("group", 2f)).build();
                default -> m.init("w", Tensor.zeros(2, 2)).node("Conv", in("x", "w")).build();
            }, "test"), c[0]);
            assertTrue(e.getMessage().contains(c[1]) && e.getMessage().contains("Conv"), c[0] + ": " + e.getMessage());
        }
        // an opset beyond int range is not read as its low 32 bits (2^32 + 13 is not 13)
        ModelProto huge = new TestModel(13).input("x", 2, 3).node("Relu", in("x")).build().toBuilder()
                .setOpsetImport(0, OperatorSetIdProto.newBuilder().setDomain("").setVersion((1L << 32) + 13)).build();
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.fromModel(huge, "test"));
        assertTrue(e.getMessage().contains("opset 4294967309"), e.getMessage());
    }
}
