package org.legodnn.graph.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.legodnn.graph.Fixtures;
import org.legodnn.graph.Graph;
import org.legodnn.graph.onnx.OnnxImporter;
import org.legodnn.kernels.Backends;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.io.SafetensorsFile;
import org.legodnn.testing.ReferenceData;

/**
 * The scalar CPU device — what runs where the Vector API is absent — computes PyTorch's outputs for the five
 * shared models, compiled (no packed kernels: every step on the scalar references) and interpreted. The test
 * installs the device for the process, as a JVM without {@code --add-modules=jdk.incubator.vector} has it.
 */
class ScalarDeviceTest {

    @AfterEach
    void restore() {
        Backends.use(Backends.cpu());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cifar_resnet20", "cifar_resnet20_gray", "resnext_tiny", "mobilenet_v2", "resnet18"})
    void sharedModelsMatchPyTorchOnTheScalarDevice(String model) throws Exception {
        Path dir = ReferenceData.model(model);
        Graph g = OnnxImporter.read(dir.resolve("model.onnx"));
        SafetensorsFile io = SafetensorsFile.open(dir.resolve("io.safetensors"));
        Map<String, Tensor> feed = Map.of(g.inputs().get(0).name(), io.tensor("input"));
        Tensor pytorch = io.tensor("output");

        Backends.use(Backends.scalar());
        assertFalse(Backends.current().vectorized());
        Tensor compiled = CompiledGraph.compile(g).run(feed).get(g.outputs().get(0));
        double err = Fixtures.maxAbsError(compiled, pytorch);
        assertTrue(err <= Fixtures.modelTolerance(pytorch), model + ": compiled on the scalar device, max abs error " + err);
        Tensor interpreted = Interpreter.run(g, feed).get(g.outputs().get(0));
        err = Fixtures.maxAbsError(interpreted, pytorch);
        assertTrue(err <= Fixtures.modelTolerance(pytorch), model + ": interpreted on the scalar device, max abs error " + err);
        assertEquals("cpu-scalar", Backends.current().name());
    }
}
