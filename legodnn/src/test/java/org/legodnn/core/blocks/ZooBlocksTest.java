package org.legodnn.core.blocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.exec.Interpreter;
import org.legodnn.graph.trace.Tracer;
import org.legodnn.nn.models.ModelZoo;
import org.legodnn.tensor.Tensor;

/**
 * The blocks that extraction finds in the other networks of the LegoDNN evaluation, at the default max ratio
 * 0.125, stated here so that a change of the algorithm shows: how many, and how many convolutions each holds.
 * Every block must be a closed graph of its own with one input and one output whose shapes match the model's
 * values, hold 2 to the maximum number of convs and a prunable conv besides its output convs. Small inputs keep
 * tracing cheap (the block structure does not depend on the image size).
 */
class ZooBlocksTest {

    /** Per model: input side, classes, then the conv count of every block found, in order ("|"-separated). */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "resnet50,       64, 10, 6, 5|6|4|6|3|4|6|6|3|4|6",
        "mobilenet_v2,   64, 10, 6, 6|6|6|6|6|6|6|6|4",
        "resnext_tiny,   64, 10, 2, 2|2|2|2",
        "vgg16_bn,       32, 10, 2, 2|2|2|2|2|2",
        "genet_small,    64, 10, 5, 4|5|2|4|3|3|3|3|3|3|4|3|5",
        "fcn_resnet18,   64,  5, 2, 2|2|2|2|2|2|2|2|2",
        "cifar_resnet20, 32, 10, 2, 2|2|2|2|2|2|2|2|2",
    })
    void blocksOfTheZooModels(String model, int side, int classes, int maxConvs, String convCounts) {
        Graph g = Tracer.trace(ModelZoo.create(model, 3, classes), 1, 3, side, side);
        assertEquals(maxConvs, BlockExtractor.maxConvs(BlockExtractor.totalConvs(g), 0.125), model);
        List<Block> blocks = BlockExtractor.extract(g);
        List<Integer> counts = new ArrayList<>();
        for (Block b : blocks) {
            counts.add(b.convCount());
        }
        List<Integer> expected = new ArrayList<>();
        for (String c : convCounts.split("\\|")) {
            expected.add(Integer.parseInt(c.trim()));
        }
        assertEquals(expected, counts, model + ": " + blocks);
        checkBlocks(g, blocks, maxConvs);
    }

    /** The invariants every block of every model must meet. */
    static void checkBlocks(Graph g, List<Block> blocks, int maxConvs) {
        int previousEnd = -1;
        for (Block b : blocks) {
            String where = g.name() + " " + b;
            assertTrue(b.firstNode() > previousEnd, "blocks are disjoint and in order: " + where);
            previousEnd = b.lastNode();
            assertTrue(b.convCount() >= BlockExtractor.MIN_CONVS && b.convCount() <= maxConvs, where);
            assertFalse(b.outputConvs().isEmpty(), where);
            assertTrue(b.outputConvs().size() < b.convCount(), "a prunable conv besides the output convs: " + where);
            assertArrayEquals(g.shape(b.inputValue()), b.inputShape(), where);
            assertArrayEquals(g.shape(b.outputValue()), b.outputShape(), where);
            // closed: as a graph of its own it reads nothing but its one input and yields its one output
            Graph sub = BlockGraph.of(g, b);
            assertEquals(1, sub.inputs().size(), where);
            assertEquals(List.of(b.outputValue()), sub.outputs(), where);
            assertArrayEquals(b.outputShape(), sub.shape(b.outputValue()), where);
            assertEquals(b.nodes().size(), sub.nodes().size(), where);
            // nothing after the block reads a value from inside it except the output
            for (Node n : g.nodes().subList(b.lastNode() + 1, g.nodes().size())) {
                for (String in : n.inputs()) {
                    Node p = g.producer(in);
                    assertTrue(p == null || !b.contains(p.index()) || in.equals(b.outputValue()), where + " leaks " + in);
                }
            }
        }
    }

    /** Running the frame with every block run as its own graph gives the model's output: the blocks are swappable. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cifar_resnet20", "mobilenet_v2", "genet_small"})
    void frameWithBlocksComputesTheModel(String model) {
        int side = model.startsWith("cifar") ? 32 : 48;
        Graph g = Tracer.trace(ModelZoo.create(model, 3, 10), 1, 3, side, side);
        List<Block> blocks = BlockExtractor.extract(g);
        Tensor x = Tensor.randn(new Random(7), 1, 3, side, side);
        Tensor whole = Interpreter.run(g, Map.of(Tracer.INPUT, x)).get(Tracer.OUTPUT);

        Map<String, Tensor> env = new HashMap<>(g.initializers());
        env.put(Tracer.INPUT, x);
        int next = 0;
        for (int i = 0; i < g.nodes().size(); i++) {
            Block b = next < blocks.size() && blocks.get(next).firstNode() == i ? blocks.get(next++) : null;
            if (b != null) {
                Graph sub = BlockGraph.of(g, b);
                env.put(b.outputValue(), Interpreter.run(sub, Map.of(b.inputValue(), env.get(b.inputValue())))
                        .get(b.outputValue()));
                i = b.lastNode();
                continue;
            }
            Node n = g.node(i);
            List<Tensor> args = new ArrayList<>();
            for (String in : n.inputs()) {
                args.add(in.isEmpty() ? null : env.get(in));
            }
            env.put(n.output(), Interpreter.compute(n, args));
        }
        Tensor composed = env.get(Tracer.OUTPUT);
        assertArrayEquals(whole.shape(), composed.shape());
        float[] a = whole.data();
        float[] c = composed.data();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], c[i], 1e-5f * (1 + Math.abs(a[i])), model + " output " + i);
        }
    }
}
