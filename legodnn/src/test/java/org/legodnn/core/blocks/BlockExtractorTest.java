package org.legodnn.core.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.graph.ValueInfo;
import org.legodnn.tensor.Tensor;

/** The rules of block extraction on small hand-made graphs, where each rule decides the outcome. */
class BlockExtractorTest {

    /** Builds a graph of 3×3 same-size convs (4 channels) and ReLUs from a list of steps. */
    private static final class Builder {
        final List<Node> nodes = new ArrayList<>();
        final Map<String, Tensor> weights = new LinkedHashMap<>();

        String conv(String name, String x, String weight) {
            weights.computeIfAbsent(weight, w -> Tensor.zeros(4, 4, 3, 3));
            nodes.add(Node.of(name, Op.CONV, Attrs.Conv.of(1, 1, 1, 1), List.of(x, weight), List.of(name), name));
            return name;
        }

        String op(String name, Op op, String... inputs) {
            nodes.add(Node.of(name, op, Attrs.None.INSTANCE, List.of(inputs), List.of(name), ""));
            return name;
        }

        Graph build(String output) {
            return new Graph("test", List.of(new ValueInfo("x", new int[] {1, 4, 8, 8})), List.of(output), weights, nodes);
        }
    }

    @Test
    void aLayerCalledTwiceStaysWholeAndCountsOnce() {
        Builder b = new Builder();
        String v = b.conv("c0", "x", "w0");
        v = b.op("r0", Op.RELU, v);
        v = b.conv("c1", v, "w1");
        v = b.op("r1", Op.RELU, v);
        v = b.conv("c2", v, "w0"); // w0 again: the layer of c0 called a second time
        v = b.op("r2", Op.RELU, v);
        v = b.conv("c3", v, "w2");
        v = b.op("r3", Op.RELU, v);
        v = b.conv("c4", v, "w3");
        v = b.op("r4", Op.RELU, v);
        Graph g = b.build(v);
        assertEquals(4, BlockExtractor.totalConvs(g));
        List<Block> blocks = BlockExtractor.extract(g, 0.5); // at most 2
        assertEquals(2, blocks.size(), blocks.toString());
        // c0..c1 alone would leave c0's second call outside; c0..c2 holds two layers (w0 twice, w1)
        assertEquals(List.of(0, 1, 2, 3, 4), blocks.get(0).nodeIds());
        assertEquals(2, blocks.get(0).convCount());
        assertEquals(List.of("c2"), blocks.get(0).outputConvLayers());
        assertEquals(List.of(5, 6, 7, 8), blocks.get(1).nodeIds());
        assertEquals("c2", blocks.get(1).inputValue()); // block 0 ended at c2, the shortest run; r2 opens block 1
        assertEquals(List.of("r4"), BlockExtractor.frame(g, blocks).stream().map(Node::name).toList());
    }

    @Test
    void twoValuesLeavingOrEnteringAreNotABlock() {
        // x -> c0 -> r0 -> c1 -> c2 -> add(c2, r0) -> c3 -> c4: the skip from r0 makes c0..c2 hand out two values
        Builder b = new Builder();
        String r0 = b.op("r0", Op.RELU, b.conv("c0", "x", "w0"));
        String c2 = b.conv("c2", b.conv("c1", r0, "w1"), "w2");
        String add = b.op("add", Op.ADD, c2, r0);
        String c4 = b.conv("c4", b.conv("c3", add, "w3"), "w4");
        Graph g = b.build(c4);
        List<Block> blocks = BlockExtractor.extract(g, 0.4); // 5 convs: at most 2
        assertEquals(2, blocks.size(), blocks.toString());
        // from c0: {c0, r0, c1} gives out r0 and c1; start moves to r0: {r0, c1, c2, add}: one in (c0), one out
        assertEquals("c0", blocks.get(0).inputValue());
        assertEquals("add", blocks.get(0).outputValue());
        assertEquals(List.of("c2"), blocks.get(0).outputConvLayers());
        assertEquals(List.of("c3", "c4"), blocks.get(1).layers());
        assertEquals("add", blocks.get(1).inputValue());
    }

    @Test
    void theHighestConvCountWinsThenTheShortest() {
        Builder b = new Builder();
        String v = "x";
        for (int i = 0; i < 8; i++) {
            v = b.op("r" + i, Op.RELU, b.conv("c" + i, v, "w" + i));
        }
        Graph g = b.build(v);
        List<Block> blocks = BlockExtractor.extract(g, 0.5); // at most 4
        assertEquals(2, blocks.size());
        for (Block blk : blocks) {
            assertEquals(4, blk.convCount());
            assertTrue(blk.nodes().get(blk.nodes().size() - 1).op() == Op.CONV, "shortest: ends at its last conv " + blk);
        }
        assertEquals(List.of("r7"), BlockExtractor.frame(g, blocks).stream().map(Node::name).toList());
    }

    @Test
    void maxConvsFollowsTheRatioWithAFloorOfTwo() {
        assertEquals(2, BlockExtractor.maxConvs(20, 0.125));
        assertEquals(6, BlockExtractor.maxConvs(53, 0.125));
        assertEquals(2, BlockExtractor.maxConvs(3, 0.125));
        assertThrows(IllegalArgumentException.class, () -> BlockExtractor.extract(new Builder().build("x"), 0));
    }
}
