package org.legodnn.graph.exec.opencl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.legodnn.graph.Fixtures;
import org.legodnn.graph.Graph;
import org.legodnn.graph.exec.Interpreter;
import org.legodnn.graph.onnx.OnnxImporter;
import org.legodnn.graph.trace.Tracer;
import org.legodnn.kernels.opencl.OpenClDevice;
import org.legodnn.nn.Module;
import org.legodnn.nn.models.ModelZoo;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.io.SafetensorsFile;
import org.legodnn.testing.ReferenceData;

/**
 * Whole models on OpenCL: the five shared PyTorch models (against PyTorch's own output and against the CPU
 * interpreter) and every zoo model traced at a small input size (against the CPU interpreter), all within
 * 1e-4 relative to the largest output.
 */
class OpenClModelsTest {

    private final OpenClDevice device = OpenClTestDevice.get();

    static Stream<String> sharedModels() {
        return Stream.of(Fixtures.MODELS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sharedModels")
    void sharedPyTorchModelsMatchPyTorchAndTheCpu(String name) throws Exception {
        Path dir = ReferenceData.model(name);
        Graph g = OnnxImporter.read(dir.resolve("model.onnx"));
        SafetensorsFile io = SafetensorsFile.open(dir.resolve("io.safetensors"));
        Map<String, Tensor> inputs = Map.of(g.inputs().get(0).name(), io.tensor("input"));
        Tensor expected = io.tensor("output");
        Tensor actual = OpenClExecution.run(g, device, inputs).get(g.outputs().get(0));
        double err = Fixtures.maxAbsError(actual, expected);
        assertTrue(err <= Fixtures.modelTolerance(expected), name + ": max abs error " + err + " against PyTorch");
        Tensor cpu = Interpreter.run(g, inputs).get(g.outputs().get(0));
        System.out.printf("opencl %s: max abs error %.3g against PyTorch, %.3g against the CPU (tolerance %.3g)%n", name,
                err, Fixtures.maxAbsError(actual, cpu), Fixtures.modelTolerance(expected));
        OpenClExecutionTest.assertClose(name + " against the CPU", cpu, actual, 1e-4);
    }

    /** torch.onnx.export of torchvision's FCN and DeepLabV3 and of a U-Net ({@code testdata/segmentation}). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fcn_resnet18_w4", "deeplabv3_resnet18_w4", "unet_w2"})
    void pyTorchSegmentationExportsMatchPyTorch(String name) throws Exception {
        Path dir = ReferenceData.testdata().resolve("segmentation").resolve(name);
        Graph g = OnnxImporter.read(dir.resolve("model.onnx"));
        SafetensorsFile io = SafetensorsFile.open(dir.resolve("io.safetensors"));
        Tensor expected = io.tensor("output");
        Tensor actual = OpenClExecution.run(g, device, Map.of(g.inputs().get(0).name(), io.tensor("input")))
                .get(g.outputs().get(0));
        double err = Fixtures.maxAbsError(actual, expected);
        assertTrue(err <= Fixtures.modelTolerance(expected), name + ": max abs error " + err + " against PyTorch");
    }

    static Stream<String> zooModels() {
        return ModelZoo.names().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("zooModels")
    void zooModelsMatchTheCpu(String name) {
        // Small inputs keep PoCL quick: CIFAR models at their own 32x32, VGG at 32 (its classifier pools any
        // input to 7x7), the ImageNet models at 64, the segmentation models at 48 (their output is per pixel; U-Net
        // halves it four times), the action model at its clips' 48, GANomaly at the 28 it is built for.
        int size = name.startsWith("cifar") || name.startsWith("vgg") ? 32
                : name.startsWith("fcn") || name.equals("unet") || name.startsWith("deeplab") || name.startsWith("tsn")
                ? 48 : name.equals("ganomaly") ? 28 : 64;
        int channels = name.startsWith("tsn") ? 8 : 3; // an action model's channels are a clip's frames
        Module model = ModelZoo.create(name, channels, 10);
        randomizeBatchNormStatistics(model);
        Graph g = Tracer.trace(model, 1, channels, size, size);
        Tensor x = Tensor.randn(new Random(7), 1, channels, size, size);
        Map<String, Tensor> inputs = Map.of(Tracer.INPUT, x);
        Tensor cpu = Interpreter.run(g, inputs).get(Tracer.OUTPUT);
        Tensor actual = OpenClExecution.run(g, device, inputs).get(Tracer.OUTPUT);
        System.out.printf("opencl zoo %s at %dx%d: max abs error %.3g against the CPU (max |output| %.3g)%n", name, size,
                size, Fixtures.maxAbsError(actual, cpu), maxAbs(cpu));
        OpenClExecutionTest.assertClose(name, cpu, actual, 1e-4);
    }

    /**
     * Fresh BatchNorms (mean 0, variance 1) make some deep models' outputs vanish (MobileNetV2's is ~1e-9), which
     * would make the comparison empty; PyTorch's reference models randomize the statistics the same way.
     */
    private static void randomizeBatchNormStatistics(Module model) {
        Random rnd = new Random(11);
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            float[] d = e.getValue().data();
            if (e.getKey().endsWith("running_mean")) {
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) (0.1 * rnd.nextGaussian());
                }
            } else if (e.getKey().endsWith("running_var")) {
                for (int i = 0; i < d.length; i++) {
                    d[i] = 0.3f + 0.5f * rnd.nextFloat();
                }
            }
        }
    }

    private static double maxAbs(Tensor t) {
        double m = 0;
        for (float v : t.data()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
