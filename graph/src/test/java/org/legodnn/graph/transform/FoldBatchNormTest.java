package org.legodnn.graph.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Fixtures;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.graph.RandomBatchNorm;
import org.legodnn.graph.ValueInfo;
import org.legodnn.graph.exec.Interpreter;
import org.legodnn.graph.onnx.OnnxExporter;
import org.legodnn.graph.onnx.OnnxImporter;
import org.legodnn.graph.trace.Tracer;
import org.legodnn.nn.models.ModelZoo;
import org.legodnn.tensor.Tensor;

class FoldBatchNormTest {

    @Test
    void foldedResNetIsAnOrdinaryGraphWithTheSameOutputs() throws Exception {
        var model = ModelZoo.create("resnet18", 3, 10);
        RandomBatchNorm.randomize(model, new Random(3));
        Graph g = Tracer.trace(model, 1, 3, 32, 32);
        Graph folded = FoldBatchNorm.apply(g);
        assertEquals(0, count(folded, Op.BATCH_NORM));
        assertEquals(count(g, Op.CONV), count(folded, Op.CONV));
        assertEquals(g.inputs(), folded.inputs());
        assertEquals(g.outputs(), folded.outputs());
        assertTrue(folded.initializers().keySet().stream().noneMatch(k -> k.contains("running")),
                "statistics are gone: " + folded.initializers().keySet());
        assertTrue(folded.isInitializer("bn1.folded_weight") && folded.isInitializer("bn1.folded_bias"));
        Tensor x = Tensor.randn(new Random(5), 1, 3, 32, 32);
        Tensor expected = Interpreter.run(g, Map.of(Tracer.INPUT, x)).get(Tracer.OUTPUT);
        Tensor actual = Interpreter.run(folded, Map.of(Tracer.INPUT, x)).get(Tracer.OUTPUT);
        assertTrue(Fixtures.maxAbsError(actual, expected) <= Fixtures.modelTolerance(expected));
        // Still a graph like any other: it exports and imports again.
        Graph again = OnnxImporter.fromModel(OnnxExporter.toModel(folded), "folded");
        assertEquals(0, count(again, Op.BATCH_NORM));
    }

    @Test
    void keepsABatchNormWhoseConvolutionHasAnotherReader() {
        // conv -> bn -> out1, and conv -> relu -> out2: the convolution's output is seen twice, so nothing folds.
        Map<String, Tensor> inits = new java.util.LinkedHashMap<>();
        inits.put("w", Tensor.randn(new Random(1), 2, 1, 1, 1));
        for (String s : List.of("gamma", "beta", "mean", "var")) {
            inits.put(s, Tensor.of(new float[] {1.5f, 0.5f}, 2));
        }
        List<Node> nodes = List.of(
                Node.of("conv", Op.CONV, Attrs.Conv.of(1, 0, 1, 1), List.of("x", "w"), List.of("c"), "conv"),
                Node.of("bn", Op.BATCH_NORM, new Attrs.BatchNorm(1e-5f, 0.1f), List.of("c", "gamma", "beta", "mean", "var"),
                        List.of("out1"), "bn"),
                Node.of("relu", Op.RELU, Attrs.None.INSTANCE, List.of("c"), List.of("out2"), ""));
        Graph g = new Graph("two readers", List.of(new ValueInfo("x", new int[] {1, 1, 2, 2})), List.of("out1", "out2"),
                inits, nodes);
        assertSame(g, FoldBatchNorm.apply(g));
    }

    @Test
    void mobileNetEpiloguesFoldIntoTheirConvolutions() {
        Graph g = FoldBatchNorm.apply(Tracer.trace(ModelZoo.create("mobilenet_v2", 3, 10), 1, 3, 32, 32));
        List<FusedNode> steps = FuseEpilogues.apply(g);
        // 52 convolutions: 35 end in ReLU6 (stem, 16 expansions, 17 depthwise, the last 1x1); 10 projections
        // take their block's residual. Nothing but the pooling, flatten and classifier is left besides.
        assertEquals(35, steps.stream().filter(s -> s.clampMax() == 6f && s.clampMin() == 0f).count());
        assertEquals(10, steps.stream().filter(s -> s.residual() != null).count());
        assertEquals(52 + 3, steps.size());
        for (FusedNode s : steps) {
            assertTrue(s.node().op() == Op.CONV || s.node().op() == Op.GLOBAL_AVG_POOL || s.node().op() == Op.FLATTEN
                    || s.node().op() == Op.GEMM, s.toString());
        }
    }

    private static long count(Graph g, Op op) {
        return g.nodes().stream().filter(n -> n.op() == op).count();
    }
}
