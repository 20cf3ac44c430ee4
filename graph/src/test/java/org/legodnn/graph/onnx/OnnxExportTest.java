package org.legodnn.graph.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.legodnn.graph.Fixtures;
import org.legodnn.graph.Graph;
import org.legodnn.graph.trace.Tracer;
import org.legodnn.nn.Module;
import org.legodnn.nn.models.ModelZoo;
import org.legodnn.tensor.Autograd;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.io.SafetensorsFile;
import org.legodnn.testing.ReferenceData;

/** Exported models run in ONNX Runtime with the engine's results (within 1e-4 × max(1, max|y|)). */
class OnnxExportTest {

    @TempDir
    Path tmp;

    /**
     * The zoo models whose building blocks differ; the deep and wide variants (resnet34/50, resnext50, VGG-16,
     * GENet-large) reuse those blocks and only cost time, so they run with {@code -Dlegodnn.allZoo=true}.
     */
    static java.util.List<String> zoo() {
        if (Boolean.getBoolean("legodnn.allZoo")) {
            return ModelZoo.names();
        }
        java.util.List<String> heavy = java.util.List.of("resnet34", "resnet50", "resnext50_32x4d", "vgg16_bn",
                "genet_large", "cifar_resnet32", "cifar_resnet56");
        return ModelZoo.names().stream().filter(n -> !heavy.contains(n)).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("zoo")
    void everyZooModelExportsAndRunsInOnnxRuntime(String name) throws Exception {
        int size = name.startsWith("cifar") ? 32 : name.startsWith("vgg") ? 224 : name.startsWith("tsn") ? 48
                : name.equals("ganomaly") ? 28 : 64;
        int channels = name.startsWith("tsn") ? 8 : 3; // an action model's channels are a clip's frames
        Module model = ModelZoo.create(name, channels, 10);
        Tensor x = Tensor.randn(new Random(5), 1, channels, size, size);
        Path file = tmp.resolve(name + ".onnx");
        OnnxExporter.write(Tracer.trace(model, 1, channels, size, size), file);
        model.eval();
        Tensor expected;
        try (var g = Autograd.noGrad()) {
            expected = model.forward(x);
        }
        Tensor actual = OrtRunner.run(Files.readAllBytes(file), Map.of(Tracer.INPUT, x)).get(Tracer.OUTPUT);
        double err = Fixtures.maxAbsError(actual, expected);
        assertTrue(err <= Fixtures.modelTolerance(expected), name + ": max abs error " + err);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cifar_resnet20_gray", "resnext_tiny", "mobilenet_v2"})
    void importedModelsExportBackUnchanged(String model) throws Exception {
        Path dir = ReferenceData.model(model);
        Graph g = OnnxImporter.read(dir.resolve("model.onnx"));
        SafetensorsFile io = SafetensorsFile.open(dir.resolve("io.safetensors"));
        Tensor y = OrtRunner.run(OnnxExporter.toModel(g), Map.of(g.inputs().get(0).name(), io.tensor("input")))
                .get(g.outputs().get(0));
        double err = Fixtures.maxAbsError(y, io.tensor("output"));
        assertTrue(err <= 1e-4, model + ": max abs error " + err);
    }
}
