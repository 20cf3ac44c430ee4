package org.legodnn.graph.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.legodnn.graph.Fixtures;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.exec.Interpreter;
import org.legodnn.graph.onnx.OnnxImporter;
import org.legodnn.nn.Module;
import org.legodnn.nn.models.CifarResNet;
import org.legodnn.nn.models.ModelZoo;
import org.legodnn.tensor.Autograd;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.io.SafetensorsFile;
import org.legodnn.testing.ReferenceData;

class TracerTest {

    @Test
    void tracedCifarResNetReproducesPyTorch() throws Exception {
        Path dir = ReferenceData.model("cifar_resnet20");
        CifarResNet model = new CifarResNet(20, 3, 10);
        model.loadStateDict(SafetensorsFile.open(dir.resolve("state_dict.safetensors")).tensors(), true);
        SafetensorsFile io = SafetensorsFile.open(dir.resolve("io.safetensors"));
        Graph g = Tracer.trace(model, 2, 3, 32, 32);
        Tensor y = Interpreter.run(g, Map.of(Tracer.INPUT, io.tensor("input"))).get(Tracer.OUTPUT);
        double err = Fixtures.maxAbsError(y, io.tensor("output"));
        assertTrue(err <= 1e-4, "max abs error " + err);
        assertTrue(model.isTraining(), "tracing restores the training mode");
        Node first = g.node(0);
        assertEquals("conv1", first.modulePath());
        assertEquals(java.util.List.of(Tracer.INPUT, "conv1.weight"), first.inputs());
    }

    /** Average pooling keeps its ceil mode and divisor rule through tracing (they change the output). */
    @ParameterizedTest(name = "ceil {0}, count_include_pad {1}")
    @CsvSource({"false, true", "false, false", "true, true", "true, false"})
    void tracedAvgPoolKeepsItsSettings(boolean ceil, boolean countIncludePad) {
        Module pool = new org.legodnn.nn.Sequential(new org.legodnn.nn.AvgPool2d(3, 2, 1, ceil, countIncludePad));
        Graph g = Tracer.trace(pool, 1, 2, 6, 6);
        org.legodnn.graph.Attrs.Pool attrs = (org.legodnn.graph.Attrs.Pool) g.node(0).attrs();
        assertEquals(ceil, attrs.ceilMode());
        assertEquals(countIncludePad, attrs.countIncludePad());
        Tensor x = Tensor.randn(new Random(5), 1, 2, 6, 6);
        Tensor expected;
        try (var scope = Autograd.noGrad()) {
            expected = pool.forward(x);
        }
        Tensor actual = Interpreter.run(g, Map.of(Tracer.INPUT, x)).get(Tracer.OUTPUT);
        assertTrue(Fixtures.maxAbsError(actual, expected) <= 1e-6);
    }

    /** A toy detection head: a convolution whose channels are split into box, objectness and class groups. */
    static final class ToyHead extends Module {
        private final org.legodnn.nn.Conv2d conv = registerModule("conv", new org.legodnn.nn.Conv2d(3, 9, 1, 1, 0));

        @Override
        public Tensor forward(Tensor x) {
            Tensor y = conv.call(x);
            Tensor xy = org.legodnn.tensor.Ops.sigmoid(org.legodnn.tensor.Ops.narrow(y, 1, 0, 2));
            Tensor wh = org.legodnn.tensor.Ops.exp(org.legodnn.tensor.Ops.slice(y, 1, 2, 4, 1));
            Tensor obj = org.legodnn.tensor.Ops.tanh(org.legodnn.tensor.Ops.slice(y, 1, 4, 5, 1));
            Tensor cls = org.legodnn.tensor.Ops.softmax(org.legodnn.tensor.Ops.slice(y, 1, 5, 100, 2), 1);
            return org.legodnn.tensor.Ops.concat(xy, wh, obj, cls);
        }
    }

    @Test
    void headOpsTraceToSliceSigmoidExpTanhAndSoftmaxNodes() {
        ToyHead head = new ToyHead();
        Graph g = Tracer.trace(head, 2, 3, 5, 4);
        TreeSet<String> ops = new TreeSet<>();
        for (Node n : g.nodes()) {
            ops.add(n.op().label());
        }
        assertEquals(new TreeSet<>(java.util.List.of("conv", "slice", "sigmoid", "exp", "tanh", "softmax", "concat")), ops);
        org.legodnn.graph.Attrs.Slice cls = null;
        for (Node n : g.nodes()) {
            if (n.attrs() instanceof org.legodnn.graph.Attrs.Slice s && s.step() == 2) {
                cls = s;
            }
        }
        assertEquals(new org.legodnn.graph.Attrs.Slice(1, 5, 9, 2), cls);
        Tensor x = Tensor.randn(new Random(8), 2, 3, 5, 4);
        Tensor expected;
        try (var scope = Autograd.noGrad()) {
            expected = head.forward(x);
        }
        Tensor actual = Interpreter.run(g, Map.of(Tracer.INPUT, x)).get(Tracer.OUTPUT);
        assertTrue(Fixtures.maxAbsError(actual, expected) <= 1e-6, "max abs error " + Fixtures.maxAbsError(actual, expected));
    }

    /** The traced zoo model has the same ops and weight names as PyTorch's ONNX export of the same architecture. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"cifar_resnet20, 3, 10, 32", "resnext_tiny, 3, 100, 64", "mobilenet_v2, 3, 1000, 64", "resnet18, 3, 1000, 64"})
    void tracedZooModelsMatchTheExportedStructure(String name, int channels, int classes, int size) throws Exception {
        Module model = ModelZoo.create(name, channels, classes);
        Graph traced = Tracer.trace(model, 1, channels, size, size);
        Graph onnx = OnnxImporter.read(ReferenceData.model(name).resolve("model.onnx"));
        assertEquals(opCounts(onnx), opCounts(traced));
        assertEquals(new TreeSet<>(onnx.initializers().keySet()), new TreeSet<>(traced.initializers().keySet()));
        Tensor x = Tensor.randn(new Random(3), 1, channels, size, size);
        Tensor expected;
        model.eval();
        try (var g = Autograd.noGrad()) {
            expected = model.forward(x);
        }
        Tensor actual = Interpreter.run(traced, Map.of(Tracer.INPUT, x)).get(Tracer.OUTPUT);
        assertTrue(Fixtures.maxAbsError(actual, expected) <= 1e-5, name);
    }

    private static Map<String, Integer> opCounts(Graph g) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Node n : g.nodes()) {
            counts.merge(n.op().label(), 1, Integer::sum);
        }
        return counts;
    }
}
