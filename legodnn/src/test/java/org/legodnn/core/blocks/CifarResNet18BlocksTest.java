package org.legodnn.core.blocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.analysis.GraphAnalysis;
import org.legodnn.graph.trace.Tracer;
import org.legodnn.nn.models.CifarResNet18;

/**
 * LegoDNN's own model — the CIFAR ResNet-18 with 100 classes — cut exactly as the original implementation cut
 * it: the eight blocks of {@code server-teacher-model-metrics.yaml}, with the same parameter count, input and
 * output shape, and FLOPs under the thop convention (the command line is checked against this API in
 * {@code BlocksCommandTest}).
 */
class CifarResNet18BlocksTest {

    private static Graph graph;
    private static List<Block> blocks;

    @BeforeAll
    static void trace() {
        graph = Tracer.trace(new CifarResNet18(3, 100), 1, 3, 32, 32);
        blocks = BlockExtractor.extract(graph, 0.125);
    }

    @Test
    void blocksMatchTheOriginalsProfile() throws Exception {
        List<ReferenceProfile.RefBlock> ref =
                ReferenceProfile.blocks(ReferenceProfile.dir().resolve("server-teacher-model-metrics.yaml"));
        assertEquals(ref.size(), blocks.size());
        for (int i = 0; i < ref.size(); i++) {
            ReferenceProfile.RefBlock want = ref.get(i);
            Block got = blocks.get(i);
            String where = "block-" + i;
            assertEquals(want.index(), got.index(), where);
            assertEquals((long) want.params(), got.params(), where + " params");
            assertEquals((long) want.flops(), got.flops(), where + " FLOPs");
            assertArrayEquals(want.inputSize(), got.inputSampleShape(), where + " input shape");
            assertArrayEquals(want.outputSize(), got.outputSampleShape(), where + " output shape");
        }
    }

    @Test
    void blocksAreTheResidualUnitsAsTheOriginalCutThem() {
        assertEquals(8, blocks.size());
        // block 0 opens with the stem's BN (the stem conv could not start a block with at most 2 convs)
        assertEquals(List.of("bn1", "layer1.0.conv1", "layer1.0.bn1", "layer1.0.conv2", "layer1.0.bn2"),
                blocks.get(0).layers());
        assertEquals(List.of("layer1.1.conv1", "layer1.1.bn1", "layer1.1.conv2", "layer1.1.bn2"), blocks.get(1).layers());
        // a downsampling unit: conv1 .. conv2 only; its bn2, the shortcut and the add stay in the frame
        for (int stage = 2; stage <= 4; stage++) {
            Block b = blocks.get(2 * stage - 2);
            String p = "layer" + stage + ".0.";
            assertEquals(List.of(p + "conv1", p + "bn1", p + "conv2"), b.layers());
            assertEquals(List.of(p + "conv2"), b.outputConvLayers());
            assertEquals(List.of("layer" + stage + ".1.conv1", "layer" + stage + ".1.bn1", "layer" + stage + ".1.conv2",
                    "layer" + stage + ".1.bn2"), blocks.get(2 * stage - 1).layers());
        }
        for (Block b : blocks) {
            assertEquals(2, b.convCount(), b.toString());
            assertEquals(1, b.outputConvs().size(), b.toString());
        }
    }

    @Test
    void frameHoldsTheRestAndTheCountsAddUp() {
        List<String> frame = new ArrayList<>();
        for (Node n : BlockExtractor.frame(graph, blocks)) {
            frame.add(n.modulePath());
        }
        for (String layer : List.of("conv1", "layer2.0.bn2", "layer2.0.shortcut.0", "layer2.0.shortcut.1",
                "layer4.0.shortcut.0", "linear")) {
            assertTrue(frame.contains(layer), layer + " in the frame " + frame);
        }
        long params = 0;
        long flops = 0;
        for (Block b : blocks) {
            params += b.params();
            flops += b.flops();
        }
        GraphAnalysis.Totals frameTotals = GraphAnalysis.totals(graph, BlockExtractor.frame(graph, blocks));
        GraphAnalysis.Totals all = GraphAnalysis.totals(GraphAnalysis.perNode(graph));
        assertEquals(11_220_132L, all.params()); // the teacher's `param` in the original's profile
        assertEquals(1_113_396_224L, all.flops()); // and its FLOPs
        assertEquals(all.params(), params + frameTotals.params());
        assertEquals(all.flops(), flops + frameTotals.flops());
    }

    @Test
    void aLargerRatioMakesLargerBlocks() {
        List<Block> wide = BlockExtractor.extract(graph, 0.25); // at most 5 convs
        assertEquals(5, BlockExtractor.maxConvs(20, 0.25));
        assertTrue(wide.size() < blocks.size(), wide.toString());
        for (Block b : wide) {
            assertTrue(b.convCount() >= 2 && b.convCount() <= 5, b.toString());
        }
    }
}
