package org.legodnn.graph.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.legodnn.graph.Fixtures;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.graph.exec.Interpreter;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.io.SafetensorsFile;
import org.legodnn.testing.ReferenceData;

/** The shared PyTorch models, imported from ONNX and run by the interpreter, reproduce PyTorch's outputs. */
class OnnxReferenceModelsTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cifar_resnet20", "cifar_resnet20_gray", "resnext_tiny", "mobilenet_v2", "resnet18"})
    void importsAndMatchesPyTorch(String model) throws Exception {
        Path dir = ReferenceData.model(model);
        Graph g = OnnxImporter.read(dir.resolve("model.onnx"));
        SafetensorsFile io = SafetensorsFile.open(dir.resolve("io.safetensors"));
        Tensor input = io.tensor("input");
        Tensor expected = io.tensor("output");
        Map<String, Tensor> out = Interpreter.run(g, Map.of(g.inputs().get(0).name(), input));
        Tensor actual = out.get(g.outputs().get(0));
        double err = Fixtures.maxAbsError(actual, expected);
        System.out.printf("%s: max abs error %.3g (tolerance %.3g)%n", model, err, Fixtures.modelTolerance(expected));
        assertTrue(err <= Fixtures.modelTolerance(expected), model + ": max abs error " + err);
        for (Node n : g.nodes()) {
            if (n.op() == Op.CONV) {
                assertTrue(g.isInitializer(n.input(1)) && n.input(1).equals(n.modulePath() + ".weight"), n.toString());
            }
        }
        assertEquals("conv1", g.node(0).modulePath().isEmpty() ? "" : g.node(0).modulePath().replace("features.0.0", "conv1"));
    }
}
