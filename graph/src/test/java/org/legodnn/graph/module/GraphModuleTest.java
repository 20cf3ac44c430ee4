package org.legodnn.graph.module;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Fixtures;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.graph.ValueInfo;
import org.legodnn.graph.exec.Interpreter;
import org.legodnn.graph.onnx.OnnxImporter;
import org.legodnn.graph.trace.Tracer;
import org.legodnn.nn.Linear;
import org.legodnn.nn.Module;
import org.legodnn.nn.Sequential;
import org.legodnn.nn.models.CifarResNet;
import org.legodnn.tensor.Autograd;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.io.SafetensorsFile;
import org.legodnn.testing.ReferenceData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GraphModuleTest {

    private static final Path DIR = ReferenceData.model("cifar_resnet20");

    /** An imported model is a module with PyTorch's state-dict names that computes PyTorch's output. */
    @Test
    void importedModelKeepsNamesAndOutputs() throws Exception {
        GraphModule m = new GraphModule(OnnxImporter.read(DIR.resolve("model.onnx")));
        Map<String, Tensor> reference = SafetensorsFile.open(DIR.resolve("state_dict.safetensors")).tensors();
        assertEquals(List.copyOf(reference.keySet()), List.copyOf(m.stateDict().keySet()));
        assertEquals(new CifarResNet(20, 3, 10).parameterCount(), m.parameterCount());
        m.loadStateDict(reference, true);
        m.eval();
        SafetensorsFile io = SafetensorsFile.open(DIR.resolve("io.safetensors"));
        Tensor y;
        try (var g = Autograd.noGrad()) {
            y = m.forward(io.tensor("input"));
        }
        assertTrue(Fixtures.maxAbsError(y, io.tensor("output")) <= 1e-4);
    }

    /** A training step through the graph module gives the native model's gradients and BN statistics. */
    @Test
    void trainsLikeTheNativeModel() throws Exception {
        Map<String, Tensor> weights = SafetensorsFile.open(DIR.resolve("state_dict.safetensors")).tensors();
        CifarResNet a = new CifarResNet(20, 3, 10);
        a.loadStateDict(weights, true);
        GraphModule b = new GraphModule(Tracer.trace(a, 4, 3, 32, 32));
        // the same names, except BN's num_batches_tracked, which no node reads
        assertEquals(a.namedParameters().keySet(), b.namedParameters().keySet());
        assertTrue(a.stateDict().keySet().containsAll(b.stateDict().keySet()));
        assertEquals(a.parameterCount(), b.parameterCount());
        Tensor x = Tensor.randn(new Random(1), 4, 3, 32, 32);
        int[] target = {1, 7, 3, 0};
        a.train();
        b.train();
        Ops.crossEntropy(a.forward(x), target).backward();
        Ops.crossEntropy(b.forward(x), target).backward();
        Map<String, Tensor> pa = a.stateDict();
        Map<String, Tensor> pb = b.stateDict();
        for (String name : List.of("conv1.weight", "layer2.0.shortcut.0.weight", "layer3.2.bn2.weight", "fc.weight",
                "fc.bias")) {
            Tensor ga = pa.get(name).gradTensor();
            Tensor gb = pb.get(name).gradTensor();
            assertTrue(ga != null && gb != null, name);
            assertTrue(Fixtures.maxAbsError(gb, ga) <= 1e-5 * Math.max(1, maxAbs(ga)), name);
        }
        assertTrue(Fixtures.maxAbsError(pb.get("bn1.running_mean"), pa.get("bn1.running_mean")) <= 1e-6);
    }

    private static double maxAbs(Tensor t) {
        double m = 0;
        for (float v : t.data()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** A graph module inside another model traces into one graph with the outer names. */
    @Test
    void composedModelsTraceThrough() throws Exception {
        GraphModule body = new GraphModule(OnnxImporter.read(DIR.resolve("model.onnx")));
        Module composed = new Sequential(body, new Linear(10, 3));
        Graph g = Tracer.trace(composed, 2, 3, 32, 32);
        assertTrue(g.isInitializer("0.layer1.0.conv1.weight") && g.isInitializer("1.weight"), g.initializers().keySet().toString());
        assertEquals("0.layer1.0.conv1", g.find("0.layer1.0.conv1").modulePath());
        Tensor x = Tensor.randn(new Random(2), 2, 3, 32, 32);
        composed.eval();
        Tensor expected;
        try (var s = Autograd.noGrad()) {
            expected = composed.forward(x);
        }
        Tensor actual = Interpreter.run(g, Map.of(Tracer.INPUT, x)).get(Tracer.OUTPUT);
        assertTrue(Fixtures.maxAbsError(actual, expected) <= 1e-5);
    }

    /** An op without a gradient is refused in a pass that records gradients. */
    @Test
    void inferenceOnlyOpsRefuseGradients() throws Exception {
        Graph g = new Graph("t", List.of(new ValueInfo("x", new int[] {2, 3})), List.of("y"), Map.of(),
                List.of(Node.of("transpose", Op.TRANSPOSE, new Attrs.Transpose(new int[] {1, 0}), List.of("x"),
                        List.of("y"), "")));
        GraphModule m = new GraphModule(g);
        Tensor x = Tensor.randn(new Random(3), 2, 3).requiresGrad(true);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.forward(x));
        assertTrue(e.getMessage().contains("transpose"), e.getMessage());
        try (var s = Autograd.noGrad()) {
            assertEquals(List.of(3, 2), Shapes.asList(m.forward(x).shape()));
        }
    }
}
