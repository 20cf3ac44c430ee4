package org.legodnn.graph.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.legodnn.graph.Fixtures;
import org.legodnn.graph.Graph;
import org.legodnn.graph.exec.CompiledGraph;
import org.legodnn.graph.exec.Interpreter;
import org.legodnn.graph.onnx.proto.OnnxProto.ModelProto;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.io.SafetensorsFile;
import org.legodnn.testing.ReferenceData;

/**
 * Tiny heads exported by PyTorch itself ({@code tools/reference/make_head_models.py}: Split, Sigmoid, Exp, Softmax
 * over channels, Tanh, a strided Slice; opsets 13, 17 and 18) import and reproduce PyTorch's outputs, interpreted
 * and compiled; exported again, ONNX Runtime computes the same.
 */
class OnnxHeadModelsTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"yolo_head_opset17", "yolo_head_opset18", "seg_head_opset13"})
    void pytorchExportedHeadsMatchPyTorch(String name) throws Exception {
        Path dir = ReferenceData.pytorch().resolve("models").resolve("heads");
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(dir.resolve(name + ".onnx")));
        SafetensorsFile io = SafetensorsFile.open(dir.resolve(name + ".safetensors"));
        Tensor pytorch = io.tensor("output");
        Map<String, Tensor> feed = Map.of("input", io.tensor("input"));
        Graph g = OnnxImporter.fromModel(model, name);
        within(name + " interpreted", pytorch, Interpreter.run(g, feed).get("output"));
        try (CompiledGraph c = CompiledGraph.compile(g)) {
            within(name + " compiled", pytorch, c.run(feed).get("output"));
        }
        within(name + " exported, ONNX Runtime", pytorch, OrtRunner.run(OnnxExporter.toModel(g), feed).get("output"));
        within(name + " as PyTorch wrote it, ONNX Runtime", pytorch, OrtRunner.run(model, feed).get("output"));
    }

    private static void within(String what, Tensor expected, Tensor actual) {
        double err = Fixtures.maxAbsError(actual, expected);
        assertTrue(err <= Fixtures.modelTolerance(expected), what + ": max abs error " + err);
    }
}
