package org.legodnn.core.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.legodnn.core.blocks.Block;
import org.legodnn.core.blocks.BlockExtractor;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.exec.Interpreter;
import org.legodnn.graph.onnx.OnnxExporter;
import org.legodnn.graph.onnx.OnnxImporter;
import org.legodnn.graph.trace.Tracer;
import org.legodnn.nn.models.ModelZoo;
import org.legodnn.tensor.Tensor;

/**
 * Descendants of every block of the zoo models of the LegoDNN evaluation (issue 3's "Not done until"): at
 * every sparsity each descendant keeps its block's input and output, so it composes with any descendant of
 * any other block; parameters and FLOPs fall as the sparsity rises; the composed model at sparsity 0 is the
 * original, and a random mix of sparsities runs and gives the model's output shape. Each model is traced
 * once, on a small input (the block structure does not depend on the image size).
 */
class ZooDescendantsTest {

    /**
     * Per model: input channels, side, classes; the conv groups of its grouped convs (1: none); and two convs
     * whose outputs meet in a residual add inside a block ("block:convA|convB"), which must keep the same channels.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "cifar_resnet20, 1, 28,  10, 1, ''",
        "cifar_resnet18, 3, 32, 100, 1, ''",
        "mobilenet_v2,   3, 64,  10, 1, ''",
        "resnet50,       3, 64,  10, 1, ''",
        "resnext_tiny,   3, 64,  10, 8, ''",
        "vgg16_bn,       3, 32,  10, 1, ''",
        "genet_small,    3, 64,  10, 1, 12:module_list.7.conv_list.0.6|module_list.7.shortcut_list.0.0",
        "fcn_resnet18,   3, 64,   5, 1, ''",
    })
    void descendantsComposeAtEverySparsity(String name, int channels, int side, int classes, int convGroups,
                                           String coupled) {
        Graph model = Tracer.trace(ModelZoo.create(name, channels, classes), 1, channels, side, side);
        List<Block> blocks = BlockExtractor.extract(model);
        assertFalse(blocks.isEmpty(), name);
        double[] sparsities = Descendants.defaultSparsities();
        List<List<Descendant>> all = Descendants.of(model, blocks);
        assertEquals(blocks.size(), all.size());
        for (int i = 0; i < blocks.size(); i++) {
            checkBlock(model, blocks.get(i), all.get(i), sparsities, convGroups);
        }
        if (!coupled.isEmpty()) {
            int block = Integer.parseInt(coupled.substring(0, coupled.indexOf(':')));
            String[] convs = coupled.substring(coupled.indexOf(':') + 1).split("\\|");
            for (Descendant d : all.get(block).subList(1, sparsities.length)) {
                int[] a = d.keptChannels().get(convs[0]);
                assertTrue(a != null && a.length < model.shape(model.find(convs[0]).output())[1], d.toString());
                assertArrayEquals(a, d.keptChannels().get(convs[1]), "coupled convs keep the same channels: " + d);
            }
        }
        checkComposition(name, model, blocks, all, channels, side);
    }

    private static void checkBlock(Graph model, Block b, List<Descendant> ds, double[] sparsities, int convGroups) {
        String where = model.name() + " " + b;
        assertEquals(sparsities.length, ds.size(), where);
        assertTrue(Descendants.isPrunable(model, b), "every block of the zoo models has channels to cut: " + where
                + " " + Descendants.explain(model, b, PruningCriterion.L1_NORM));
        for (int k = 0; k < ds.size(); k++) {
            Descendant d = ds.get(k);
            Graph g = d.graph();
            assertEquals(b.index(), d.blockIndex(), where);
            assertEquals(sparsities[k], d.sparsity(), where);
            assertEquals(1, g.inputs().size(), where);
            assertEquals(b.inputValue(), g.inputs().get(0).name(), where);
            assertArrayEquals(b.inputShape(), g.shape(b.inputValue()), where);
            assertEquals(List.of(b.outputValue()), g.outputs(), where);
            assertArrayEquals(b.outputShape(), g.shape(b.outputValue()), "s=" + d.sparsity() + " " + where);
            assertEquals(d.params(), d.module().parameterCount(), "the module holds the descendant's tensors: " + where);
            if (k == 0) {
                assertEquals(b.params(), d.params(), where);
                assertEquals(b.flops(), d.flops(), where);
                assertTrue(d.keptChannels().isEmpty(), where);
                continue;
            }
            Descendant prev = ds.get(k - 1);
            if (convGroups == 1) {
                assertTrue(d.params() < prev.params() && d.flops() < prev.flops(), "s=" + d.sparsity()
                        + " not smaller than s=" + prev.sparsity() + ": " + d + " vs " + prev + " " + where);
            } else {
                // int(C/groups × s) per group can be 0 at s = 0.2 when the groups are narrow
                assertTrue(d.params() <= prev.params() && d.flops() <= prev.flops(), d + " vs " + prev + " " + where);
            }
            for (Map.Entry<String, int[]> e : d.keptChannels().entrySet()) {
                Node conv = g.find(e.getKey());
                int before = model.shape(conv.output())[1];
                int[] kept = e.getValue();
                assertEquals(kept.length, g.shape(conv.output())[1], e.getKey() + " " + where);
                assertEquals(before - convGroups * (int) (before / convGroups * d.sparsity()), kept.length,
                        "int(C × s) filters go from " + e.getKey() + " at s=" + d.sparsity() + " " + where);
                for (int j = 1; j < kept.length; j++) {
                    assertTrue(kept[j - 1] < kept[j] && kept[j] < before, e.getKey());
                }
            }
        }
        Descendant last = ds.get(ds.size() - 1);
        assertTrue(last.params() < ds.get(0).params() && last.flops() < ds.get(0).flops(), last + " " + where);
    }

    private static void checkComposition(String name, Graph model, List<Block> blocks, List<List<Descendant>> all,
                                         int channels, int side) {
        Tensor x = Tensor.randn(new Random(7), 1, channels, side, side);
        Tensor original = Interpreter.run(model, Map.of(Tracer.INPUT, x)).get(Tracer.OUTPUT);
        ComposedModel composed = new ComposedModel(model, blocks, all);
        assertArrayEquals(new int[blocks.size()], composed.selection(), "every block starts as the original");
        assertClose(original, composed.forward(x), name + " at sparsity 0");

        int[] mixed = new int[blocks.size()];
        Random rnd = new Random(name.hashCode());
        for (int i = 0; i < mixed.length; i++) {
            mixed[i] = rnd.nextInt(all.get(i).size());
        }
        mixed[0] = all.get(0).size() - 1;
        Tensor y = composed.select(mixed).forward(x);
        assertArrayEquals(original.shape(), y.shape(), name + " " + Arrays.toString(mixed));
        for (float v : y.data()) {
            assertTrue(Float.isFinite(v), name);
        }
        // the same composition as one graph: same output, smaller model
        Graph one = composed.graph();
        assertArrayEquals(model.shape(Tracer.OUTPUT), one.shape(Tracer.OUTPUT), name);
        assertClose(y, Interpreter.run(one, Map.of(Tracer.INPUT, x)).get(Tracer.OUTPUT), name + " spliced graph");
        assertTrue(composed.totals().params() < org.legodnn.graph.analysis.GraphAnalysis
                .totals(org.legodnn.graph.analysis.GraphAnalysis.perNode(model)).params(), name);

        assertThrows(IllegalArgumentException.class, () -> composed.select(new int[blocks.size() + 1]));
        int[] bad = new int[blocks.size()];
        bad[0] = all.get(0).size();
        assertThrows(IllegalArgumentException.class, () -> composed.select(bad));
        assertArrayEquals(mixed, composed.selection(), "a rejected selection changes nothing");
    }

    /**
     * The composed model of the Fashion-MNIST teacher's architecture as one model: traced through
     * {@link ComposedModel#module()} and through ONNX it computes what {@link ComposedModel#forward} does, at
     * any batch size; BN-scale descendants compose too; and forward uses the descendants' current weights.
     */
    @Test
    void aComposedModelTracesExportsAndFollowsRetrainedWeights() {
        Graph model = Tracer.trace(ModelZoo.create("cifar_resnet20", 1, 10), 1, 1, 28, 28);
        List<Block> blocks = BlockExtractor.extract(model);
        List<List<Descendant>> all = Descendants.of(model, blocks, new double[] {0.0, 0.5, 0.8},
                PruningCriterion.BN_SCALE);
        int[] mixed = {2, 1, 0, 2, 1, 0, 2, 1, 2};
        ComposedModel composed = new ComposedModel(model, blocks, all).select(mixed);
        Tensor x = Tensor.randn(new Random(3), 2, 1, 28, 28);
        Tensor y = composed.forward(x);
        assertArrayEquals(new int[] {2, 10}, y.shape());

        Graph traced = Tracer.trace(composed.module(), 1, 1, 28, 28);
        assertEquals(composed.totals().params(), org.legodnn.graph.analysis.GraphAnalysis
                .totals(org.legodnn.graph.analysis.GraphAnalysis.perNode(traced)).params());
        Graph onnx = OnnxImporter.fromModel(OnnxExporter.toModel(composed.graph()), "composed");
        for (int n = 0; n < 2; n++) {
            Tensor one = Tensor.of(Arrays.copyOfRange(x.data(), n * 784, (n + 1) * 784), 1, 1, 28, 28);
            Tensor expected = Tensor.of(Arrays.copyOfRange(y.data(), n * 10, (n + 1) * 10), 1, 10);
            assertClose(expected, Interpreter.run(traced, Map.of(Tracer.INPUT, one)).get(Tracer.OUTPUT), "traced");
            assertClose(expected, Interpreter.run(onnx, Map.of(onnx.inputs().get(0).name(), one))
                    .get(onnx.outputs().get(0)), "through ONNX");
        }

        // retraining changes the chosen descendant's module in place; the composition follows without a rebuild
        Descendant d = composed.chosen(0);
        Tensor w = d.module().stateDict().get("layer1.0.conv2.weight");
        Arrays.fill(w.data(), 0f);
        Tensor after = composed.forward(x);
        boolean changed = false;
        for (int i = 0; i < y.size(); i++) {
            changed |= Math.abs(after.data()[i] - y.data()[i]) > 1e-4f;
        }
        assertTrue(changed, "forward reads the module's current weights");
        assertTrue(d.graph().initializer("layer1.0.conv2.weight").data()[0] != 0f, "the pruned graph is untouched");
    }

    static void assertClose(Tensor expected, Tensor actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        float[] a = expected.data();
        float[] b = actual.data();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-5f * (1 + Math.abs(a[i])), what + " output " + i);
        }
    }
}
