package org.legodnn.graph.zoo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.legodnn.graph.Fixtures;
import org.legodnn.graph.onnx.OnnxImporter;
import org.legodnn.nn.Module;
import org.legodnn.nn.models.ModelZoo;
import org.legodnn.tensor.Autograd;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.io.SafetensorsFile;
import org.legodnn.testing.ReferenceData;

/**
 * The native zoo definitions are torchvision's: the shared PyTorch models' ONNX initializers (PyTorch names)
 * load strictly into them, and the native eval forward reproduces PyTorch's output within 1e-4.
 */
class NativeZooMatchesPyTorchTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"resnet18, 3, 1000", "mobilenet_v2, 3, 1000", "resnext_tiny, 3, 100"})
    void weightsLoadByNameAndOutputsMatch(String name, int inChannels, int classes) throws Exception {
        Path dir = ReferenceData.model(name);
        Module model = ModelZoo.create(name, inChannels, classes);
        model.loadStateDict(OnnxImporter.read(dir.resolve("model.onnx")).initializers(), true);
        model.eval();
        SafetensorsFile io = SafetensorsFile.open(dir.resolve("io.safetensors"));
        Tensor expected = io.tensor("output");
        Tensor actual;
        try (var scope = Autograd.noGrad()) {
            actual = model.forward(io.tensor("input"));
        }
        double err = Fixtures.maxAbsError(actual, expected);
        assertTrue(err <= Fixtures.modelTolerance(expected), name + ": max abs error " + err
                + " above " + Fixtures.modelTolerance(expected));
    }
}
