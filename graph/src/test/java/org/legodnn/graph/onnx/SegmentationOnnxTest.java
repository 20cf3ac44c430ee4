package org.legodnn.graph.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.legodnn.graph.Fixtures;
import org.legodnn.graph.Graph;
import org.legodnn.graph.exec.CompiledGraph;
import org.legodnn.graph.exec.Interpreter;
import org.legodnn.graph.trace.Tracer;
import org.legodnn.kernels.Backends;
import org.legodnn.nn.Module;
import org.legodnn.nn.models.DeepLabV3;
import org.legodnn.nn.models.FcnResNet;
import org.legodnn.nn.models.ResNet;
import org.legodnn.nn.models.UNet;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.io.Safetensors;
import org.legodnn.tensor.io.SafetensorsFile;
import org.legodnn.testing.ReferenceData;

/**
 * The segmentation models between engines, each case checked against PyTorch's own output: the ONNX files that
 * {@code torch.onnx.export} wrote of torchvision's FCN and DeepLabV3 classes and of milesial's U-Net
 * ({@code testdata/segmentation}, see {@code tools/reference/make_segmentation_models.py}) import and run on the
 * interpreter, the compiled CPU path and the scalar device; and the native models, loaded with the same weights,
 * traced and exported, run in ONNX Runtime. All within 1e-4 × max(1, max|y|).
 */
class SegmentationOnnxTest {

    @AfterEach
    void restore() {
        Backends.use(Backends.cpu());
    }

    private static Path dir(String name) {
        return ReferenceData.testdata().resolve("segmentation").resolve(name);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fcn_resnet18_w4", "deeplabv3_resnet18_w4", "unet_w2"})
    void pyTorchExportsImportAndMatchOnEveryCpuDevice(String name) throws Exception {
        Graph g = OnnxImporter.read(dir(name).resolve("model.onnx"));
        SafetensorsFile io = SafetensorsFile.open(dir(name).resolve("io.safetensors"));
        Map<String, Tensor> feed = Map.of(g.inputs().get(0).name(), io.tensor("input"));
        Tensor pytorch = io.tensor("output");
        String out = g.outputs().get(0);
        check(name + " interpreted", Interpreter.run(g, feed).get(out), pytorch);
        check(name + " compiled", CompiledGraph.compile(g).run(feed).get(out), pytorch);
        Backends.use(Backends.scalar());
        check(name + " compiled on the scalar device", CompiledGraph.compile(g).run(feed).get(out), pytorch);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fcn_resnet18_w4", "deeplabv3_resnet18_w4", "unet_w2"})
    void nativeModelsExportAndRunInOnnxRuntime(String name) throws Exception {
        Module model = build(name);
        model.loadStateDict(Safetensors.read(dir(name).resolve("state_dict.safetensors")), true);
        SafetensorsFile io = SafetensorsFile.open(dir(name).resolve("io.safetensors"));
        Tensor x = io.tensor("input");
        byte[] onnx = OnnxExporter.toModel(Tracer.trace(model, x.shape())).toByteArray();
        Tensor ort = OrtRunner.run(onnx, Map.of(Tracer.INPUT, x)).get(Tracer.OUTPUT);
        check(name + " exported, in ONNX Runtime", ort, io.tensor("output"));
        Graph back = OnnxImporter.read(onnx, name + " exported");
        check(name + " exported and imported", CompiledGraph.compile(back).run(Map.of(Tracer.INPUT, x))
                .get(back.outputs().get(0)), io.tensor("output"));
    }

    /** The Java model of each case, as its generator describes it (io.safetensors' "java" metadata). */
    private static Module build(String name) {
        int[] basic = {2, 2, 2, 2};
        return switch (name) {
            case "fcn_resnet18_w4" -> new FcnResNet(ResNet.backbone(ResNet.Block.BASIC, basic, 1, 4,
                    new boolean[] {false, false, false}), 5);
            case "deeplabv3_resnet18_w4" -> new DeepLabV3(ResNet.backbone(ResNet.Block.BASIC, basic, 1, 4,
                    new boolean[] {false, true, true}), 5, new int[] {2, 4, 6}, 8);
            case "unet_w2" -> new UNet(1, 5, 2);
            default -> throw new IllegalArgumentException("no Java model for case " + name);
        };
    }

    private static void check(String what, Tensor actual, Tensor expected) {
        double err = Fixtures.maxAbsError(actual, expected);
        assertTrue(err <= Fixtures.modelTolerance(expected), what + ": max abs error " + err + " against PyTorch");
    }
}
