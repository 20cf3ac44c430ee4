package org.legodnn.graph.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.legodnn.graph.onnx.TestModel.i;
import static org.legodnn.graph.onnx.TestModel.in;
import static org.legodnn.graph.onnx.TestModel.ints;
import static org.legodnn.graph.onnx.TestModel.s;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Op;
import org.legodnn.graph.exec.CompiledGraph;
import org.legodnn.graph.exec.Interpreter;
import org.legodnn.graph.onnx.proto.OnnxProto.ModelProto;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * The ops of segmentation and detection heads (Sigmoid, Tanh, Exp, Softmax on any axis, Slice, Split) and the
 * opset-13/18 differences (settings as inputs, Split's {@code num_outputs}, Pad's axes, Resize's new attributes),
 * on hand-built models: the importer with the interpreter and the compiled plan must agree with ONNX Runtime on
 * every output within 1e-5, and so must ONNX Runtime on the graph exported again.
 */
class OnnxHeadOpsTest {

    private static final double TOLERANCE = 1e-5;

    private final Tensor x = Tensor.randn(new Random(18), 2, 9, 4, 5);

    /** Every output of {@code model} on {@code x}: ours (interpreted and compiled) and ORT's on the re-export. */
    private static Graph check(ModelProto model, Tensor x) throws Exception {
        Map<String, Tensor> feed = Map.of("x", x);
        Map<String, Tensor> ort = OrtRunner.run(model, feed);
        Graph g = OnnxImporter.fromModel(model, "test");
        Map<String, Tensor> ours = Interpreter.run(g, feed);
        Map<String, Tensor> compiled;
        try (CompiledGraph c = CompiledGraph.compile(g)) {
            compiled = c.run(feed);
        }
        Map<String, Tensor> again = OrtRunner.run(OnnxExporter.toModel(g), feed);
        assertEquals(ort.keySet(), ours.keySet());
        for (String name : ort.keySet()) {
            close(name + " (interpreted)", ort.get(name), ours.get(name));
            close(name + " (compiled)", ort.get(name), compiled.get(name));
            close(name + " (exported, ORT)", ort.get(name), again.get(name));
            assertTrue(java.util.Arrays.equals(g.shape(name), ort.get(name).shape()), name + ": inferred shape "
                    + Shapes.format(g.shape(name)));
        }
        return g;
    }

    private static void close(String what, Tensor expected, Tensor actual) {
        assertTrue(actual.sameShape(expected.shape()), what + ": shape " + Shapes.format(actual.shape()) + ", ORT "
                + Shapes.format(expected.shape()));
        for (int k = 0; k < expected.size(); k++) {
            float e = expected.data()[k];
            float a = actual.data()[k];
            if (!(Math.abs(a - e) <= TOLERANCE * Math.max(1, Math.abs(e)))) {
                throw new AssertionError(what + ": value " + k + " is " + a + ", ORT " + e);
            }
        }
    }

    @ParameterizedTest(name = "opset {0}")
    @ValueSource(ints = {11, 13, 17, 18})
    void activationsAndSoftmaxOnEveryAxis(int opset) throws Exception {
        TestModel m = new TestModel(opset).input("x", 2, 9, 4, 5)
                .node("Sigmoid", in("x"), "sig")
                .node("Tanh", in("x"), "tanh")
                .node("Exp", in("x"), "exp")
                .node("Softmax", in("x"), "soft1", i("axis", 1))
                .node("Softmax", in("x"), "soft_last", i("axis", -1))
                .node("Softmax", in("x"), "soft_default");
        check(m.build("sig", "tanh", "exp", "soft1", "soft_last", "soft_default"), x);
    }

    @ParameterizedTest(name = "opset {0}")
    @ValueSource(ints = {13, 18})
    void slicesWithConstantStartsEndsAxesAndSteps(int opset) throws Exception {
        TestModel m = new TestModel(opset).input("x", 2, 9, 4, 5)
                .initLongs("s1", 1).initLongs("e1", 7).initLongs("a1", 1).initLongs("st1", 2)
                .node("Slice", in("x", "s1", "e1", "a1", "st1"), "channels")
                // two axes, negative indices, an end past the axis, default steps
                .initLongs("s2", -3, 0).initLongs("e2", Long.MAX_VALUE, -1).initLongs("a2", 3, -2)
                .node("Slice", in("x", "s2", "e2", "a2"), "corner")
                // axes omitted: the first axes in order
                .initLongs("s3", 0, 4).initLongs("e3", 2, 9)
                .node("Slice", in("x", "s3", "e3"), "tail");
        Graph g = check(m.build("channels", "corner", "tail"), x);
        assertEquals(5, g.nodes().stream().filter(n -> n.op() == Op.SLICE).count(), "a two-axis slice is a chain of two");
    }

    @ParameterizedTest(name = "opset {0}")
    @ValueSource(ints = {11, 13, 18})
    void splitIntoTheChannelGroupsOfAYoloHead(int opset) throws Exception {
        TestModel m = new TestModel(opset).input("x", 2, 9, 4, 5);
        List<String> outs = List.of("xy", "wh", "obj", "cls");
        if (opset >= 13) {
            m.initLongs("sizes", 2, 2, 1, 4).nodeOutputs("Split", in("x", "sizes"), outs, i("axis", 1));
        } else {
            m.nodeOutputs("Split", in("x"), outs, i("axis", 1), ints("split", 2, 2, 1, 4));
        }
        m.node("Sigmoid", in("xy"), "xy_sig").node("Exp", in("wh"), "wh_exp").node("Sigmoid", in("obj"), "obj_sig")
                .node("Softmax", in("cls"), "cls_prob", i("axis", 1));
        check(m.build("xy_sig", "wh_exp", "obj_sig", "cls_prob"), x);
    }

    @Test
    void splitIntoEqualParts() throws Exception {
        check(new TestModel(13).input("x", 2, 9, 4, 5)
                .nodeOutputs("Split", in("x"), List.of("a", "b", "c"), i("axis", 1)).build("a", "b", "c"), x);
        // opset 18: num_outputs, the last part smaller (5 = 2 + 2 + 1)
        check(new TestModel(18).input("x", 2, 9, 4, 5)
                .nodeOutputs("Split", in("x"), List.of("a", "b", "c"), i("axis", -1), i("num_outputs", 3))
                .build("a", "b", "c"), x);
    }

    @Test
    void opset18SettingsThatMovedToInputsOrGrewAttributes() throws Exception {
        TestModel m = new TestModel(18).input("x", 2, 9, 4, 5)
                .initLongs("axes", 2, 3).node("ReduceMean", in("x", "axes"), "mean", i("keepdims", 1))
                .initLongs("pads", 1, 0, 2, 1).initLongs("pad_axes", 2, 3)
                .node("Pad", in("x", "pads", "", "pad_axes"), "padded")
                .initFloats("scales", 1, 1, 2, 2)
                .node("Resize", in("x", "", "scales"), "up", s("mode", "nearest"), i("antialias", 0),
                        ints("axes", 0, 1, 2, 3), s("keep_aspect_ratio_policy", "stretch"),
                        s("coordinate_transformation_mode", "asymmetric"), s("nearest_mode", "floor"));
        check(m.build("mean", "padded", "up"), x);
    }

    @Test
    void whatCannotBeReproducedIsRefusedNamingTheNode() {
        ModelProto reversed = new TestModel(13).input("x", 2, 9, 4, 5).initLongs("s", -1).initLongs("e", -100)
                .initLongs("a", 1).initLongs("st", -1).node("Slice", in("x", "s", "e", "a", "st")).build();
        String message = assertThrows(OnnxImportException.class, () -> OnnxImporter.fromModel(reversed, "test"))
                .getMessage();
        assertTrue(message.contains("Slice") && message.contains("step -1"), message);
        ModelProto uneven = new TestModel(13).input("x", 2, 9, 4, 5).initLongs("sizes", 2, 2)
                .nodeOutputs("Split", in("x", "sizes"), List.of("a", "b"), i("axis", 1)).build("a", "b");
        message = assertThrows(OnnxImportException.class, () -> OnnxImporter.fromModel(uneven, "test")).getMessage();
        assertTrue(message.contains("Split") && message.contains("adds up to 4") && message.contains("has 9"), message);
        ModelProto computed = new TestModel(13).input("x", 2, 9, 4, 5).input("s", 1)
                .initLongs("e", 3).node("Slice", in("x", "s", "e")).build();
        message = assertThrows(OnnxImportException.class, () -> OnnxImporter.fromModel(computed, "test")).getMessage();
        assertTrue(message.contains("starts") && message.contains("computed at run time"), message);
        ModelProto noCount = new TestModel(18).input("x", 2, 9, 4, 5)
                .nodeOutputs("Split", in("x"), List.of("a", "b", "c"), i("axis", 1)).build("a", "b", "c");
        message = assertThrows(OnnxImportException.class, () -> OnnxImporter.fromModel(noCount, "test")).getMessage();
        assertTrue(message.contains("num_outputs is missing"), message);
    }
}
