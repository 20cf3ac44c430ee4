package org.legodnn.graph.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.legodnn.graph.Fixtures;
import org.legodnn.graph.Graph;
import org.legodnn.graph.exec.Interpreter;
import org.legodnn.graph.onnx.proto.OnnxProto.ModelProto;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.io.SafetensorsFile;

/**
 * Scaled-down torchvision architectures exported by PyTorch 1.13 (src/test/python/export_small_models.py):
 * imported and run, they reproduce PyTorch's outputs; re-exported, ONNX Runtime does too.
 */
class OnnxSmallModelsTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"squeezenet_tiny", "googlenet_tiny", "densenet_tiny", "efficientnet_tiny", "mnasnet_tiny",
        "regnet_tiny", "misc_ops"})
    void matchesPyTorch(String name) throws Exception {
        ModelProto model;
        try (InputStream in = getClass().getResourceAsStream(name + ".onnx")) {
            model = ModelProto.parseFrom(in);
        }
        SafetensorsFile io;
        try (InputStream in = getClass().getResourceAsStream(name + ".safetensors")) {
            io = SafetensorsFile.fromBytes(name, in.readAllBytes());
        }
        Graph g = OnnxImporter.fromModel(model, name);
        Tensor expected = io.tensor("output");
        Tensor actual = Interpreter.run(g, Map.of("input", io.tensor("input"))).get("output");
        double err = Fixtures.maxAbsError(actual, expected);
        assertTrue(err <= Fixtures.modelTolerance(expected), name + ": max abs error " + err);
        Tensor again = OrtRunner.run(OnnxExporter.toModel(g), Map.of("input", io.tensor("input"))).get("output");
        assertTrue(Fixtures.maxAbsError(again, expected) <= Fixtures.modelTolerance(expected), name + " re-exported");
    }
}
