package org.legodnn.core.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.legodnn.graph.Graph;
import org.legodnn.graph.exec.Interpreter;
import org.legodnn.graph.onnx.OnnxExporter;
import org.legodnn.graph.onnx.OnnxImporter;
import org.legodnn.graph.trace.Tracer;
import org.legodnn.nn.Init;
import org.legodnn.nn.models.ModelZoo;
import org.legodnn.tensor.Tensor;

/**
 * Whole-model pruning of a CIFAR ResNet-20 (Fashion-MNIST shapes, random weights): the graph shrinks, its output
 * shape does not, kept channel counts are rounded, the FLOPs search meets its target, and the global ranking
 * removes exactly the channels whose normalized score is lowest — dead channels (zero BN scale and shift), whose
 * removal leaves the outputs unchanged, which only holds if every coupled layer lost the same channels.
 */
class ModelPrunerTest {

    private static Graph resnet20() {
        Init.manualSeed(3);
        return Tracer.trace(ModelZoo.create("cifar_resnet20", 1, 10), 1, 1, 28, 28);
    }

    private static ModelPruner pruner(Graph g, PruningCriterion c, PruningAllocation a, int roundTo) {
        return new ModelPruner(g, new ModelPruner.Settings(c, a, roundTo));
    }

    private static Tensor run(Graph g, Tensor x) {
        return Interpreter.run(g, Map.of(g.inputs().get(0).name(), x)).get(g.outputs().get(0));
    }

    @Test
    void uniformHalfHalvesEveryGroupToMultiplesOfEightAndKeepsTheOutputShape() {
        Graph g = resnet20();
        ModelPruner p = pruner(g, PruningCriterion.L1_NORM, PruningAllocation.UNIFORM, 8);
        ModelPruner.Result r = p.prune(0.5);

        assertTrue(r.params() < p.params() && r.flops() < p.flops(), r.params() + " params, " + r.flops() + " FLOPs");
        assertTrue(r.flops() < 0.4 * p.flops(),
                "both sides of every pruned conv shrink: " + r.flops() + " of " + p.flops());
        assertEquals(0.5, r.removed(), 1e-9);
        assertArrayEquals(new int[] {1, 10}, r.graph().shape(r.graph().outputs().get(0)));
        assertTrue(r.keptChannels().containsKey("layer1.0.conv1"), r.keptChannels().keySet().toString());
        for (Map.Entry<String, int[]> e : r.keptChannels().entrySet()) {
            assertEquals(0, e.getValue().length % 8, e.getKey() + " keeps " + e.getValue().length);
        }
        assertEquals(10, r.graph().initializer("fc.weight").dim(0), "the classifier keeps its classes");
        assertEquals(32, r.graph().initializer("fc.weight").dim(1), "the last stage's 64 channels halve");
        Tensor x = Tensor.randn(new Random(1), 1, 1, 28, 28);
        Tensor out = run(r.graph(), x);
        assertArrayEquals(new int[] {1, 10}, out.shape());
        Graph reread = OnnxImporter.fromModel(OnnxExporter.toModel(r.graph()), "pruned");
        assertArrayEquals(out.data(), run(reread, x).data(), 1e-5f, "the pruned model as ONNX computes the same");
    }

    @Test
    void roundingNeverKeepsZeroChannels() {
        ModelPruner.Result r = pruner(resnet20(), PruningCriterion.L1_NORM, PruningAllocation.UNIFORM, 8).prune(0.99);
        for (Map.Entry<String, int[]> e : r.keptChannels().entrySet()) {
            assertEquals(8, e.getValue().length, e.getKey());
        }
    }

    @Test
    void theFlopsSearchMeetsItsTargetWithTheLeastSparsity() {
        Graph g = resnet20();
        for (PruningAllocation a : PruningAllocation.values()) {
            ModelPruner p = pruner(g, PruningCriterion.L1_NORM, a, 8);
            ModelPruner.Result r = p.toFlops(0.5);
            assertTrue(r.flops() <= 0.5 * p.flops(), a + ": " + r.flops() + " of " + p.flops());
            assertTrue(r.flops() > 0.2 * p.flops(), a + " prunes no further than needed: " + r.flops());
            assertArrayEquals(new int[] {1, 10}, r.graph().shape(r.graph().outputs().get(0)));
        }
        ModelPruner p = pruner(g, PruningCriterion.L1_NORM, PruningAllocation.UNIFORM, 1);
        ModelPruner.Result r = p.toFlops(0.5);
        assertTrue(r.flops() > 0.45 * p.flops(), "without rounding the search lands close to the target: " + r.flops());
        assertSame(g, p.toFlops(1.0).graph(), "the whole model already fits");
    }

    @Test
    void anUnreachableTargetSaysHowFarPruningGoes() {
        ModelPruner p = pruner(resnet20(), PruningCriterion.L1_NORM, PruningAllocation.UNIFORM, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.toFlops(0.001));
        assertTrue(e.getMessage().contains("cannot reach 0.001"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> p.prune(1.0));
        assertThrows(IllegalArgumentException.class, () -> p.toFlops(0));
    }

    @Test
    void globalRankingRemovesTheDeadChannelsFirstAndTheOutputsStayTheSame() {
        Graph g = resnet20();
        int[] dead = {1, 4, 6, 9, 15};
        for (int k : dead) {
            g.initializer("layer2.1.bn1.weight").data()[k] = 0f;
            g.initializer("layer2.1.bn1.bias").data()[k] = 0f;
        }
        ModelPruner p = pruner(g, PruningCriterion.BN_SCALE, PruningAllocation.GLOBAL, 1);
        int channels = 0;
        for (PrunableGroup group : new BlockPruner(g, java.util.Set.of(), PruningCriterion.BN_SCALE).groups()) {
            channels += group.size();
        }
        ModelPruner.Result r = p.prune((dead.length + 0.5) / channels);

        assertEquals(27, r.keptChannels().get("layer2.1.conv1").length);
        assertEquals(1, r.keptChannels().size(), "no other conv loses a channel: " + r.keptChannels().keySet());
        Tensor x = Tensor.randn(new Random(2), 1, 1, 28, 28);
        assertArrayEquals(run(g, x).data(), run(r.graph(), x).data(), 1e-4f);
    }

    @Test
    void globalRankingDoesNotDependOnAGroupsScale() {
        Graph g = resnet20();
        ModelPruner.Result before = pruner(g, PruningCriterion.L1_NORM, PruningAllocation.GLOBAL, 1).prune(0.3);
        float[] w = g.initializer("layer1.0.conv1.weight").data();
        for (int k = 0; k < w.length; k++) {
            w[k] *= 10;
        }
        ModelPruner.Result after = pruner(g, PruningCriterion.L1_NORM, PruningAllocation.GLOBAL, 1).prune(0.3);
        assertEquals(before.keptChannels().keySet(), after.keptChannels().keySet());
        for (String conv : before.keptChannels().keySet()) {
            assertArrayEquals(before.keptChannels().get(conv), after.keptChannels().get(conv), conv);
        }
    }
}
