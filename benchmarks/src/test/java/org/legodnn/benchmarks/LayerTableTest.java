package org.legodnn.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.legodnn.cli.BenchCommand;

class LayerTableTest {

    @Test
    void pairsEveryLayerOfCifarResNetWithOnnxRuntimes() throws Exception {
        List<LayerTable.Row> rows = LayerTable.measure(BenchCommand.workload("cifar_resnet20_b1_32"), 1, 3);

        // 19 convolutions, 2 shortcut convolutions, the classifier, and "other".
        assertEquals(23, rows.size());
        for (LayerTable.Row r : rows) {
            assertEquals(r.ours().kind(), r.ort().kind(), r.ours().name());
            assertEquals(r.ours().flops(), r.ort().flops(), r.ours().name());
            assertTrue(r.ours().ms() > 0 && r.ort().ms() > 0, r.ours().name());
        }
        assertEquals("3×3/2", rows.get(7).ours().kind());
        assertEquals("1×1/2", rows.get(8).ours().kind());
        String table = LayerTable.markdown("cifar_resnet20_b1_32", 1, 3, 100, rows);
        assertTrue(table.contains("| stem 3×3 | 1 |"), table);
        assertTrue(table.contains("| 3×3 | 16 |"), table);
    }

    @Test
    void readsConvolutionsFromAnOnnxRuntimeProfileAndLumpsTheRest() {
        Map<String, Object> conv = Map.of("cat", "Node", "name", "layer1/relu_nchwc_kernel_time", "dur", 250,
                "args", Map.of("op_name", "Conv",
                        "input_type_shape", List.of(Map.of("float", List.of(1, 16, 8, 8)),
                                Map.of("float", List.of(32, 16, 3, 3)), Map.of("float", List.of(32))),
                        "output_type_shape", List.of(Map.of("float", List.of(1, 32, 4, 4)))));
        Map<String, Object> reorder = Map.of("cat", "Node", "name", "ReorderOutput_kernel_time", "dur", 40,
                "args", Map.of("op_name", "ReorderOutput"));
        Map<String, Object> session = Map.of("cat", "Session", "name", "model_run", "dur", 9000);

        List<LayerTable.Layer> layers = LayerTable.fromProfile(List.of(session, conv, reorder), 1);

        assertEquals(2, layers.size());
        LayerTable.Layer c = layers.get(0);
        assertEquals("layer1/relu_nchwc", c.name());
        assertEquals("3×3/2", c.kind());
        assertArrayEquals(new int[] {32, 16, 3, 3}, c.weight());
        assertEquals(2L * 32 * 4 * 4 * 16 * 9, c.flops());
        assertEquals(0.25, c.ms(), 1e-12);
        assertEquals(0.04, layers.get(1).ms(), 1e-12);
    }

    @Test
    void pairsALayerWhoseChannelsOnnxRuntimePaddedToItsBlock() {
        LayerTable.Layer ours = new LayerTable.Layer("features.2.conv.2", "1×1", new int[] {24, 96, 1, 1}, 100, 2);
        LayerTable.Layer theirs = new LayerTable.Layer("conv_nchwc", "1×1", new int[] {32, 96, 1, 1}, 133, 1);
        LayerTable.Layer other = new LayerTable.Layer("other", "other", new int[0], 0, 1);

        List<LayerTable.Row> rows = LayerTable.pair(List.of(ours, other), List.of(theirs, other));

        assertEquals(100, rows.get(0).ort().flops());
        assertEquals(1.0, rows.get(0).ort().ms(), 0);
        assertTrue(LayerTable.isBlockPaddingOf(new int[] {24, 24, 1, 1}, new int[] {32, 32, 1, 1}));
        assertTrue(LayerTable.isBlockPaddingOf(new int[] {40, 240, 1, 1}, new int[] {48, 240, 1, 1}));
        assertTrue(!LayerTable.isBlockPaddingOf(new int[] {24, 96, 1, 1}, new int[] {64, 96, 1, 1}));
        assertTrue(!LayerTable.isBlockPaddingOf(new int[] {24, 96, 1, 1}, new int[] {32, 96, 3, 3}));
    }

    @Test
    void refusesLayersThatDoNotMatch() {
        LayerTable.Layer ours = new LayerTable.Layer("conv1", "3×3", new int[] {16, 3, 3, 3}, 1, 1);
        LayerTable.Layer theirs = new LayerTable.Layer("conv1", "3×3", new int[] {16, 16, 3, 3}, 1, 1);
        LayerTable.Layer other = new LayerTable.Layer("other", "other", new int[0], 0, 1);

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LayerTable.pair(List.of(ours, other), List.of(theirs, other)));
        assertTrue(e.getMessage().contains("[16, 3, 3, 3]"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> LayerTable.pair(List.of(ours, other), List.of(other)));
    }
}
