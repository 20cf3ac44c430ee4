package org.legodnn.graph.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Fixtures;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.graph.RandomBatchNorm;
import org.legodnn.graph.ValueInfo;
import org.legodnn.graph.onnx.OnnxImporter;
import org.legodnn.graph.trace.Tracer;
import org.legodnn.kernels.Backends;
import org.legodnn.kernels.Parallel;
import org.legodnn.nn.Module;
import org.legodnn.nn.models.ModelZoo;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.io.SafetensorsFile;
import org.legodnn.testing.ReferenceData;

/** The compiled inference path gives the interpreter's outputs (and PyTorch's) on the zoo and the shared models. */
class CompiledGraphTest {

    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @ParameterizedTest(name = "{0} {1}x{1}, {2} thread(s)")
    @CsvSource({"cifar_resnet20, 32, 1", "resnet18, 64, 2", "mobilenet_v2, 64, 1", "resnext_tiny, 64, 2",
        "vgg16_bn, 32, 1", "genet_small, 64, 2", "fcn_resnet18, 64, 1", "cifar_resnet18, 32, 2",
        "yolov3_resnet18, 96, 2", "unet, 64, 2", "deeplabv3_resnet18, 64, 1", "tsn_resnet18, 48, 2"})
    void zooModelsMatchTheInterpreter(String name, int size, int threads) {
        Parallel.setThreads(threads);
        int channels = name.startsWith("tsn") ? 8 : 3; // an action model's channels are a clip's frames
        Module model = ModelZoo.create(name, channels, 10);
        RandomBatchNorm.randomize(model, new Random(7));
        Graph g = Tracer.trace(model, 2, channels, size, size);
        Tensor x = Tensor.randn(new Random(11), 2, channels, size, size);
        Tensor expected = Interpreter.run(g, Map.of(Tracer.INPUT, x)).get(Tracer.OUTPUT);
        CompiledGraph compiled = CompiledGraph.compile(g);
        Tensor first = compiled.run(x);
        assertClose(name, expected, first);
        // A second call reuses the planned buffers and gives the same numbers.
        Tensor second = compiled.run(x);
        assertArrayEquals(first.data(), second.data(), name + ": second call");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cifar_resnet20", "cifar_resnet20_gray", "resnext_tiny", "mobilenet_v2", "resnet18"})
    void sharedModelsMatchPyTorchAndTheInterpreter(String model) throws Exception {
        Path dir = ReferenceData.model(model);
        Graph g = OnnxImporter.read(dir.resolve("model.onnx"));
        SafetensorsFile io = SafetensorsFile.open(dir.resolve("io.safetensors"));
        Tensor input = io.tensor("input");
        Map<String, Tensor> feed = Map.of(g.inputs().get(0).name(), input);
        Tensor actual = CompiledGraph.compile(g).run(feed).get(g.outputs().get(0));
        Tensor pytorch = io.tensor("output");
        double err = Fixtures.maxAbsError(actual, pytorch);
        assertTrue(err <= Fixtures.modelTolerance(pytorch), model + ": max abs error against PyTorch " + err);
        assertClose(model, Interpreter.run(g, feed).get(g.outputs().get(0)), actual);
    }

    @Test
    void plansPerInputShapeForAnOpenBatch() throws Exception {
        Graph g = OnnxImporter.read(ReferenceData.model("cifar_resnet20_gray").resolve("model.onnx"));
        String in = g.inputs().get(0).name();
        CompiledGraph compiled = CompiledGraph.compile(g);
        int[] declared = g.inputs().get(0).shape();
        if (declared[0] >= 0) {
            // A static batch: another batch size is refused, as by the interpreter.
            Tensor wrong = Tensor.randn(new Random(1), declared[0] + 1, declared[1], declared[2], declared[3]);
            assertThrows(IllegalArgumentException.class, () -> compiled.run(Map.of(in, wrong)));
            return;
        }
        for (int batch : new int[] {1, 3, 1}) {
            Tensor x = Tensor.randn(new Random(batch), batch, declared[1], declared[2], declared[3]);
            Tensor expected = Interpreter.run(g, Map.of(in, x)).get(g.outputs().get(0));
            assertClose("batch " + batch, expected, compiled.run(Map.of(in, x)).get(g.outputs().get(0)));
        }
    }

    @Test
    void resNetBlocksRunAsFusedConvolutions() {
        Graph g = Tracer.trace(ModelZoo.create("resnet18", 3, 10), 1, 3, 32, 32);
        CompiledGraph compiled = CompiledGraph.compile(g);
        long fused = compiled.steps().stream().filter(s -> s.isFused()).count();
        long withResidual = compiled.steps().stream().filter(s -> s.residual() != null).count();
        // 20 convolutions: 17 end in a ReLU, 8 of those after a residual add; no BatchNorm, Add or ReLU is left.
        assertEquals(17, fused);
        assertEquals(8, withResidual);
        assertEquals(0, compiled.steps().stream().filter(s -> switch (s.node().op()) {
            case BATCH_NORM, ADD, RELU -> true;
            default -> false;
        }).count());
    }

    /**
     * The epilogues every device applies: a ReLU after a same-shape Add, after a Gemm (Linear) and after a lone
     * BatchNorm folds into that node, on the SIMD and the scalar CPU devices alike, with the interpreter's result.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void activationsFoldIntoAddsGemmsAndLoneBatchNorms(boolean simd) {
        Random rnd = new Random(5);
        Map<String, Tensor> w = new LinkedHashMap<>();
        w.put("gamma", Tensor.randn(rnd, 4));
        w.put("beta", Tensor.randn(rnd, 4));
        w.put("mean", Tensor.randn(rnd, 4));
        Tensor var = Tensor.randn(rnd, 4);
        for (int i = 0; i < 4; i++) {
            var.data()[i] = 0.5f + Math.abs(var.data()[i]);
        }
        w.put("var", var);
        w.put("fcw", Tensor.randn(rnd, 5, 36));
        w.put("fcb", Tensor.randn(rnd, 5));
        List<Node> nodes = List.of(
                node("bn", Op.BATCH_NORM, new Attrs.BatchNorm(1e-5f, 0.1f), "x", "gamma", "beta", "mean", "var"),
                node("bnrelu", Op.RELU, Attrs.None.INSTANCE, "bn"),
                node("sum", Op.ADD, Attrs.None.INSTANCE, "bnrelu", "x"),
                node("sumrelu", Op.RELU, Attrs.None.INSTANCE, "sum"),
                node("flat", Op.FLATTEN, new Attrs.Flatten(1), "sumrelu"),
                node("fc", Op.GEMM, Attrs.Gemm.LINEAR, "flat", "fcw", "fcb"),
                node("out", Op.CLIP, new Attrs.Clip(-0.5f, 0.5f), "fc"));
        Graph g = new Graph("epilogues", List.of(new ValueInfo("x", new int[] {2, 4, 3, 3})), List.of("out"), w, nodes);
        ExecutionDevice device = CpuExecution.of(simd ? Backends.cpu() : Backends.scalar());
        CompiledGraph compiled = CompiledGraph.compile(g, device);
        assertEquals(List.of("bn batch_norm+relu", "sum add+relu", "flat flatten", "fc gemm+clip"),
                compiled.steps().stream().map(s -> s.label()).toList());
        Tensor x = Tensor.randn(rnd, 2, 4, 3, 3);
        assertClose(device.name(), Interpreter.run(g, Map.of("x", x)).get("out"), compiled.run(x));
    }

    private static Node node(String name, org.legodnn.graph.Op op, org.legodnn.graph.Attrs attrs,
                                               String... in) {
        return Node.of(name, op, attrs, List.of(in), List.of(name), "");
    }

    /** The bound: max |compiled − interpreter| within 1e-4 of max |interpreter output| (at least 1). */
    static void assertClose(String what, Tensor expected, Tensor actual) {
        double err = Fixtures.maxAbsError(actual, expected);
        double tol = Fixtures.modelTolerance(expected);
        assertTrue(err <= tol, what + ": max abs error " + err + " > " + tol);
    }
}
