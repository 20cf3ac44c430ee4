package org.legodnn.core.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.legodnn.core.blocks.Block;
import org.legodnn.core.blocks.BlockExtractor;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.graph.ValueInfo;
import org.legodnn.graph.exec.Interpreter;
import org.legodnn.tensor.Tensor;

/**
 * Structured pruning on small hand-made blocks where the right answer can be worked out by hand: how many
 * filters go, which ones (L1 norm, BN scale, summed over coupled convs), and that the cut is aligned — a
 * block whose pruned channels are dead (zero filters, zero BN shift and mean) computes exactly what the
 * original does, which only holds if every consumer lost the same input channels.
 */
class BlockPrunerTest {

    /** Builds a graph of convs, BNs and elementwise ops on an input {@code x} of 1×4×6×6. */
    private static final class Builder {
        final List<Node> nodes = new ArrayList<>();
        final Map<String, Tensor> weights = new LinkedHashMap<>();
        final Random rnd = new Random(11);

        String conv(String name, String x, int cin, int cout, int k, int groups) {
            Tensor w = Tensor.randn(rnd, cout, cin / groups, k, k);
            weights.put(name + ".weight", w);
            nodes.add(Node.of(name, Op.CONV, Attrs.Conv.of(1, k / 2, 1, groups), List.of(x, name + ".weight"),
                    List.of(name), name));
            return name;
        }

        String bn(String name, String x, int c) {
            weights.put(name + ".weight", Tensor.uniform(rnd, 0.5f, 1.5f, c));
            weights.put(name + ".bias", Tensor.randn(rnd, c));
            weights.put(name + ".running_mean", Tensor.randn(rnd, c));
            weights.put(name + ".running_var", Tensor.uniform(rnd, 0.5f, 1.5f, c));
            nodes.add(Node.of(name, Op.BATCH_NORM, new Attrs.BatchNorm(1e-5f, 0.1f), List.of(x, name + ".weight",
                    name + ".bias", name + ".running_mean", name + ".running_var"), List.of(name), name));
            return name;
        }

        String op(String name, Op op, Attrs attrs, String... inputs) {
            nodes.add(Node.of(name, op, attrs, List.of(inputs), List.of(name), ""));
            return name;
        }

        String relu(String name, String x) {
            return op(name, Op.RELU, Attrs.None.INSTANCE, x);
        }

        /** Sets filter {@code f} of conv {@code name} to zero, and the channel of BN {@code bn} (if any) to zero shift and mean. */
        void kill(String conv, String bn, int... filters) {
            Tensor w = weights.get(conv + ".weight");
            int per = w.size() / w.dim(0);
            for (int f : filters) {
                java.util.Arrays.fill(w.data(), f * per, (f + 1) * per, 0f);
                if (bn != null) {
                    weights.get(bn + ".bias").data()[f] = 0f;
                    weights.get(bn + ".running_mean").data()[f] = 0f;
                }
            }
        }

        /** Every weight of filter {@code f} of conv {@code name} set to {@code values[f]}. */
        void filters(String conv, float... values) {
            Tensor w = weights.get(conv + ".weight");
            int per = w.size() / w.dim(0);
            for (int f = 0; f < values.length; f++) {
                java.util.Arrays.fill(w.data(), f * per, (f + 1) * per, values[f]);
            }
        }

        Graph build(String output) {
            return new Graph("test", List.of(new ValueInfo("x", new int[] {1, 4, 6, 6})), List.of(output), weights,
                    nodes);
        }
    }

    /** The one block that spans the whole test graph. */
    private static Block wholeBlock(Graph g) {
        List<Block> blocks = BlockExtractor.extract(g, 1.0);
        assertEquals(1, blocks.size(), blocks.toString());
        assertEquals(g.nodes().size(), blocks.get(0).nodes().size(), blocks.toString());
        return blocks.get(0);
    }

    private static List<Descendant> prune(Graph g, PruningCriterion c, double... sparsities) {
        return Descendants.of(g, List.of(wholeBlock(g)), sparsities, c).get(0);
    }

    private static Tensor run(Graph g, Tensor x) {
        return Interpreter.run(g, Map.of("x", x)).get(g.outputs().get(0));
    }

    private static void assertSameOutput(Graph original, Graph pruned) {
        Tensor x = Tensor.randn(new Random(5), 1, 4, 6, 6);
        Tensor a = run(original, x);
        Tensor b = run(pruned, x);
        assertArrayEquals(a.shape(), b.shape());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.data()[i], b.data()[i], 1e-5f * (1 + Math.abs(a.data()[i])), "output " + i);
        }
    }

    /** conv(4→16) → BN → ReLU → conv(16→4): the first conv is prunable, the second is the output conv. */
    private static Builder plain() {
        Builder b = new Builder();
        String v = b.conv("c1", "x", 4, 16, 3, 1);
        v = b.bn("bn1", v, 16);
        v = b.relu("r1", v);
        b.conv("c2", v, 16, 4, 3, 1);
        return b;
    }

    @Test
    void aPlainConvLosesExactlyIntOfCoutTimesSFilters() {
        Graph g = plain().build("c2");
        double[] s = {0.0, 0.2, 0.4, 0.6, 0.8};
        int[] keptFilters = {16, 13, 10, 7, 4}; // 16 − int(16 × s): 0, 3, 6, 9, 12 removed
        List<Descendant> ds = prune(g, PruningCriterion.L1_NORM, s);
        for (int i = 0; i < s.length; i++) {
            Descendant d = ds.get(i);
            Graph p = d.graph();
            int k = keptFilters[i];
            assertArrayEquals(new int[] {k, 4, 3, 3}, p.initializer("c1.weight").shape(), "s=" + s[i]);
            for (String t : List.of("weight", "bias", "running_mean", "running_var")) {
                assertArrayEquals(new int[] {k}, p.initializer("bn1." + t).shape(), t);
            }
            assertArrayEquals(new int[] {4, k, 3, 3}, p.initializer("c2.weight").shape(), "the output conv keeps its filters");
            assertArrayEquals(new int[] {1, 4, 6, 6}, p.shape("c2"), "output shape");
            long params = k * 36L + 2L * k + 4L * k * 9;
            assertEquals(params, d.params(), "s=" + s[i]);
            assertEquals(params, d.module().parameterCount(), "the module holds the smaller tensors");
            assertEquals(2L * 36 * (k * 36 + 4 * k * 9) + 4L * 36 * k, d.flops(), "s=" + s[i]);
            assertEquals(i == 0 ? 0 : 1, d.keptChannels().size());
            if (i > 0) {
                assertEquals(k, d.keptChannels().get("c1").length);
            }
        }
        assertSame(g.initializer("c1.weight"), ds.get(0).graph().initializer("c1.weight"), "sparsity 0 is the block itself");
        assertTrue(ds.get(0).module().stateDict().get("c1.weight") != g.initializer("c1.weight"),
                "the module has its own copy of the weights");
    }

    @Test
    void l1NormDropsTheSmallestFilters() {
        Builder b = plain();
        // L1 of filter f is 36·|value|; negative weights count by magnitude
        b.filters("c1", 5, -1, 9, 3, -7, 2, 8, 0.5f, 6, 4, -10, 11, 12, 13, 14, 15);
        Graph g = b.build("c2");
        Descendant d = prune(g, PruningCriterion.L1_NORM, 0.4).get(0); // int(6.4) = 6 go: 0.5, 1, 2, 3, 4, 5
        assertArrayEquals(new int[] {2, 4, 6, 8, 10, 11, 12, 13, 14, 15}, d.keptChannels().get("c1"));
        // the kept filters are the original ones, in order
        Tensor w = d.graph().initializer("c1.weight");
        assertEquals(9f, w.data()[0]);
        assertEquals(-7f, w.data()[36]);
        assertEquals(-10f, w.data()[4 * 36]);
    }

    @Test
    void bnScaleDropsTheSmallestGammas() {
        Builder b = plain();
        float[] gamma = b.weights.get("bn1.weight").data();
        for (int c = 0; c < 16; c++) {
            gamma[c] = (c % 2 == 0 ? -1 : 1) * (c * 7 % 16 + 1) * 0.1f; // |gamma| a permutation of 0.1 .. 1.6
        }
        Graph g = b.build("c2");
        Descendant d = prune(g, PruningCriterion.BN_SCALE, 0.2).get(0); // int(3.2) = 3 go: |gamma| 0.1, 0.2, 0.3
        // c·7 mod 16 = 0, 1, 2 at c = 0, 7, 14
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 15}, d.keptChannels().get("c1"));
        assertEquals(Math.abs(gamma[1]), Math.abs(d.graph().initializer("bn1.weight").data()[0]));
    }

    @Test
    void deadChannelsGoAndTheOutputStaysTheSame() {
        Builder b = plain();
        b.kill("c1", "bn1", 1, 4, 5, 9, 10, 15);
        Graph g = b.build("c2");
        Descendant d = prune(g, PruningCriterion.L1_NORM, 0.4).get(0); // 6 go: exactly the dead ones
        assertArrayEquals(new int[] {0, 2, 3, 6, 7, 8, 11, 12, 13, 14}, d.keptChannels().get("c1"));
        assertSameOutput(g, d.graph());
    }

    @Test
    void coupledConvsLoseTheSameChannelsRankedByTheirSum() {
        Builder b = new Builder();
        String a = b.bn("bnA", b.conv("cA", "x", 4, 8, 3, 1), 8);
        String c = b.bn("bnB", b.conv("cB", "x", 4, 8, 3, 1), 8);
        String v = b.relu("r", b.op("add", Op.ADD, Attrs.None.INSTANCE, a, c));
        b.conv("cC", v, 8, 4, 3, 1);
        b.filters("cA", 0, 5, 1, 6, 2, 7, 3, 8);
        b.filters("cB", 9, 0, 9, 0, 0, 0, 0, 9);
        Graph g = b.build("cC");
        // alone, cA would drop 0, 2, 4 and cB 1, 3, 4; by the sums (9, 5, 10, 6, 2, 7, 3, 17) the group drops 4, 6, 1
        Descendant d = prune(g, PruningCriterion.L1_NORM, 0.4).get(0);
        assertArrayEquals(new int[] {0, 2, 3, 5, 7}, d.keptChannels().get("cA"));
        assertArrayEquals(d.keptChannels().get("cA"), d.keptChannels().get("cB"));
        assertArrayEquals(new int[] {4, 5, 3, 3}, d.graph().initializer("cC.weight").shape());
        assertArrayEquals(new int[] {1, 4, 6, 6}, run(d.graph(), Tensor.randn(new Random(1), 1, 4, 6, 6)).shape());

        Builder dead = new Builder();
        a = dead.bn("bnA", dead.conv("cA", "x", 4, 8, 3, 1), 8);
        c = dead.bn("bnB", dead.conv("cB", "x", 4, 8, 3, 1), 8);
        v = dead.relu("r", dead.op("add", Op.ADD, Attrs.None.INSTANCE, a, c));
        dead.conv("cC", v, 8, 4, 3, 1);
        dead.kill("cA", "bnA", 2, 3, 6);
        dead.kill("cB", "bnB", 2, 3, 6);
        g = dead.build("cC");
        d = prune(g, PruningCriterion.L1_NORM, 0.4).get(0);
        assertArrayEquals(new int[] {0, 1, 4, 5, 7}, d.keptChannels().get("cB"));
        assertSameOutput(g, d.graph());
    }

    @Test
    void aDepthwiseConvShrinksWithItsInputGroup() {
        Builder b = new Builder();
        String v = b.relu("r1", b.bn("bn1", b.conv("c1", "x", 4, 8, 1, 1), 8));
        v = b.relu("r2", b.bn("bn2", b.conv("dw", v, 8, 8, 3, 8), 8));
        b.conv("c2", v, 8, 4, 1, 1);
        b.kill("c1", "bn1", 0, 3, 5, 6);
        Tensor bn2 = b.weights.get("bn2.bias");
        for (int c : new int[] {0, 3, 5, 6}) {
            bn2.data()[c] = 0f;
            b.weights.get("bn2.running_mean").data()[c] = 0f;
        }
        Graph g = b.build("c2");
        Descendant d = prune(g, PruningCriterion.L1_NORM, 0.5).get(0);
        assertArrayEquals(new int[] {1, 2, 4, 7}, d.keptChannels().get("c1"));
        assertArrayEquals(new int[] {1, 2, 4, 7}, d.keptChannels().get("dw"));
        assertArrayEquals(new int[] {4, 1, 3, 3}, d.graph().initializer("dw.weight").shape());
        Node dw = d.graph().find("dw");
        assertEquals(4, dw.attrs(Attrs.Conv.class).groups(), "depthwise: groups = channels");
        assertArrayEquals(new int[] {4}, d.graph().initializer("bn2.weight").shape());
        assertArrayEquals(new int[] {4, 4, 1, 1}, d.graph().initializer("c2.weight").shape());
        assertSameOutput(g, d.graph());
    }

    @Test
    void aGroupedConvLosesTheSameNumberOfChannelsInEveryGroup() {
        Builder b = new Builder();
        String v = b.relu("r1", b.bn("bn1", b.conv("c1", "x", 4, 8, 1, 1), 8));
        v = b.relu("r2", b.bn("bn2", b.conv("g", v, 8, 8, 3, 2), 8));
        b.conv("c3", v, 8, 4, 1, 1);
        b.kill("c1", "bn1", 1, 2, 4, 7); // two in each of g's input groups {0..3}, {4..7}
        b.kill("g", "bn2", 0, 3, 5, 6); // two in each of its output groups
        Graph g = b.build("c3");
        List<Descendant> ds = prune(g, PruningCriterion.L1_NORM, 0.2, 0.5);
        assertEquals(ds.get(0).params(), Descendants.of(g, List.of(wholeBlock(g)), new double[] {0},
                PruningCriterion.L1_NORM).get(0).get(0).params(), "int(4 × 0.2) = 0 channels per group go");
        Descendant d = ds.get(1); // int(4 × 0.5) = 2 per group
        assertArrayEquals(new int[] {0, 3, 5, 6}, d.keptChannels().get("c1"));
        assertArrayEquals(new int[] {1, 2, 4, 7}, d.keptChannels().get("g"));
        assertArrayEquals(new int[] {4, 2, 3, 3}, d.graph().initializer("g.weight").shape());
        assertEquals(2, d.graph().find("g").attrs(Attrs.Conv.class).groups(), "the group count stays");
        assertArrayEquals(new int[] {4, 4, 1, 1}, d.graph().initializer("c3.weight").shape());
        assertSameOutput(g, d.graph());
    }

    @Test
    void aConcatConsumerLosesEachSegmentAtItsOffset() {
        Builder b = new Builder();
        String a = b.conv("a", "x", 4, 4, 1, 1);
        String c = b.conv("b", "x", 4, 3, 1, 1);
        String v = b.relu("r", b.op("cat", Op.CONCAT, new Attrs.Concat(1), a, c));
        b.conv("c", v, 7, 2, 3, 1);
        b.kill("a", null, 1, 2);
        b.kill("b", null, 0);
        Graph g = b.build("c");
        Descendant d = prune(g, PruningCriterion.L1_NORM, 0.5).get(0); // a: int(2.0) = 2 go, b: int(1.5) = 1
        assertArrayEquals(new int[] {0, 3}, d.keptChannels().get("a"));
        assertArrayEquals(new int[] {1, 2}, d.keptChannels().get("b"));
        assertArrayEquals(new int[] {2, 4, 3, 3}, d.graph().initializer("c.weight").shape());
        assertSameOutput(g, d.graph());
    }

    @Test
    void aTransposedConvIsCutOnBothSides() {
        Builder b = new Builder();
        String v = b.relu("r1", b.bn("bn1", b.conv("c1", "x", 4, 8, 3, 1), 8));
        b.weights.put("ct.weight", Tensor.randn(b.rnd, 8, 6, 2, 2)); // [Cin, Cout, kh, kw]
        b.weights.put("ct.bias", Tensor.randn(b.rnd, 6));
        b.nodes.add(Node.of("ct", Op.CONV_TRANSPOSE, new Attrs.ConvTranspose(2, 2, 0, 0, 0, 0, 1, 1, 1, 0, 0),
                List.of(v, "ct.weight", "ct.bias"), List.of("ct"), "ct"));
        v = b.relu("r2", b.bn("bn2", "ct", 6));
        b.conv("c3", v, 6, 4, 3, 1);
        b.kill("c1", "bn1", 0, 5);
        Tensor ct = b.weights.get("ct.weight");
        for (int i = 0; i < ct.size(); i++) {
            if ((i / 4) % 6 == 4) {
                ct.data()[i] = 0f; // output channel 4 of the transposed conv is dead ...
            }
        }
        b.weights.get("ct.bias").data()[4] = 0f; // ... bias included
        b.weights.get("bn2.bias").data()[4] = 0f;
        b.weights.get("bn2.running_mean").data()[4] = 0f;
        Graph g = b.build("c3");
        Descendant d = prune(g, PruningCriterion.L1_NORM, 0.25).get(0); // c1: int(2.0) = 2 go, ct: int(1.5) = 1
        assertArrayEquals(new int[] {1, 2, 3, 4, 6, 7}, d.keptChannels().get("c1"));
        assertArrayEquals(new int[] {0, 1, 2, 3, 5}, d.keptChannels().get("ct"));
        assertArrayEquals(new int[] {6, 5, 2, 2}, d.graph().initializer("ct.weight").shape());
        assertArrayEquals(new int[] {5}, d.graph().initializer("ct.bias").shape());
        assertArrayEquals(new int[] {4, 5, 3, 3}, d.graph().initializer("c3.weight").shape());
        assertSameOutput(g, d.graph());
    }

    @Test
    void channelsAtTheBlockInputOrOutputAreNeverCut() {
        // x → c1 → bn → relu → c2 → add(x): the add ties c2's channels to the block input and output; only c1's go
        Builder b = new Builder();
        String v = b.relu("r1", b.bn("bn1", b.conv("c1", "x", 4, 8, 3, 1), 8));
        v = b.conv("c2", v, 8, 4, 3, 1);
        b.op("add", Op.ADD, Attrs.None.INSTANCE, v, "x");
        Graph g = b.build("add");
        // extraction would end the block at c2 (the shortest candidate); here the block holds the add too
        Block block = new Block(0, g.nodes(), List.of("c1", "bn1", "c2"), "x", new int[] {1, 4, 6, 6}, "add",
                new int[] {1, 4, 6, 6}, List.of(g.find("c2")), 2, 0, 0);
        List<String> explained = Descendants.explain(g, block, PruningCriterion.L1_NORM);
        assertTrue(explained.get(0).startsWith("pruned: [c1:out, bn1:channel, c2:in]"), explained.toString());
        assertTrue(explained.get(1).startsWith("left whole: [c1:in, c2:out]"), explained.toString());
        Descendant d = Descendants.of(g, List.of(block), new double[] {0.8}, PruningCriterion.L1_NORM).get(0).get(0);
        assertArrayEquals(new int[] {4, 2, 3, 3}, d.graph().initializer("c2.weight").shape());
        assertArrayEquals(new int[] {1, 4, 6, 6}, d.graph().shape("add"));
    }

    @Test
    void sparsitiesOutsideZeroToOneAreRejected() {
        Graph g = plain().build("c2");
        for (double s : new double[] {-0.1, 1.0, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> prune(g, PruningCriterion.L1_NORM, s));
            assertTrue(e.getMessage().contains("sparsity"), e.getMessage());
        }
    }
}
