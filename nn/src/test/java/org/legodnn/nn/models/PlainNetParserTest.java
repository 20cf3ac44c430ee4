package org.legodnn.nn.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.legodnn.tensor.Autograd;
import org.legodnn.tensor.Tensor;

/** PlainNet structure strings parse as published (block names included) and build GENet-style modules. */
class PlainNetParserTest {

    @Test
    void parsesThePublishedNotationWithBlockNames() {
        List<PlainNetBlock> blocks = PlainNetParser.parse(
                "ConvKX(uuid46ff|3,13,3,2)BN(uuid43b7|13)RELU(uuid2829|13)"
                        + "SuperResK1KXK1(uuid3981|48,384,3,2,0.25,7)AdaptiveAvgPool(1920,1)\n");
        assertEquals(List.of(new PlainNetBlock.ConvKX(3, 13, 3, 2), new PlainNetBlock.BN(13),
                new PlainNetBlock.Relu(13),
                new PlainNetBlock.SuperRes(SuperResBlock.Kind.K1KXK1, 48, 384, 3, 2, 0.25, 7),
                new PlainNetBlock.AdaptiveAvgPool(1920, 1)), blocks.subList(0, 5));
    }

    @Test
    void parsesEveryKindOfBlock() {
        List<PlainNetBlock> blocks = PlainNetParser.parse("ConvDW(8,5,2) SuperResKXKX(8,8,3,1,1.0,1)"
                + "SuperResK1DWK1(8,16,3,2,3.0,2)Linear(16,10,1)");
        assertEquals(new PlainNetBlock.ConvDW(8, 5, 2), blocks.get(0));
        assertEquals(SuperResBlock.Kind.KXKX, ((PlainNetBlock.SuperRes) blocks.get(1)).kind());
        assertEquals(SuperResBlock.Kind.K1DWK1, ((PlainNetBlock.SuperRes) blocks.get(2)).kind());
        assertEquals(new PlainNetBlock.Linear(16, 10, true), blocks.get(3));
    }

    @Test
    void errorsSayWhatAndWhere() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> PlainNetParser.parse("ConvKX(3,8,3,2)MaxPoolX(8,3,2)"));
        assertTrue(unknown.getMessage().contains("unknown block 'MaxPoolX'"), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("character 15"), unknown.getMessage());
        IllegalArgumentException arity = assertThrows(IllegalArgumentException.class,
                () -> PlainNetParser.parse("ConvKX(3,8,3)"));
        assertTrue(arity.getMessage().contains("ConvKX takes 4 arguments, got 3"), arity.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PlainNetParser.parse("BN(8"));
        assertThrows(IllegalArgumentException.class, () -> PlainNetParser.parse("BN(x)"));
        assertThrows(IllegalArgumentException.class, () -> PlainNetParser.parse(""));
    }

    @Test
    void genetRejectsChannelsThatDoNotChain() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GENet("ConvKX(3,8,3,2)BN(16)", 3, 10));
        assertTrue(e.getMessage().contains("takes 16 channels but the previous block gives 8"), e.getMessage());
    }

    @Test
    void genetNamesFollowTheOriginalCode() {
        GENet small = GENet.small(3, 1000);
        Map<String, Tensor> sd = small.stateDict();
        assertArrayEquals(new int[] {13, 3, 3, 3}, sd.get("module_list.0.netblock.weight").shape());
        assertArrayEquals(new int[] {13}, sd.get("module_list.1.netblock.running_var").shape());
        // SuperResKXKX(13,48,3,2,1.0,1): 3×3 to 48 at stride 2, 3×3 to 48, projection shortcut.
        assertArrayEquals(new int[] {48, 13, 3, 3}, sd.get("module_list.3.conv_list.0.0.weight").shape());
        assertArrayEquals(new int[] {48, 48, 3, 3}, sd.get("module_list.3.conv_list.0.3.weight").shape());
        assertArrayEquals(new int[] {48, 13, 1, 1}, sd.get("module_list.3.shortcut_list.0.0.weight").shape());
        // SuperResK1KXK1(48,384,3,2,0.25,7): bottleneck width 96; only the first unit has a projection.
        assertArrayEquals(new int[] {96, 96, 3, 3}, sd.get("module_list.5.conv_list.6.3.weight").shape());
        assertTrue(sd.containsKey("module_list.5.shortcut_list.0.1.running_mean"));
        assertTrue(sd.keySet().stream().noneMatch(k -> k.startsWith("module_list.5.shortcut_list.1.")));
        // SuperResK1DWK1(384,560,3,2,3.0,2): depthwise 3×3 over 1680 channels.
        assertArrayEquals(new int[] {1680, 1, 3, 3}, sd.get("module_list.6.conv_list.0.3.weight").shape());
        assertArrayEquals(new int[] {1000, 1920}, sd.get("fc_linear.weight").shape());
        assertInstanceOf(SuperResBlock.class, small.moduleList().get(5));
        assertEquals(7, ((SuperResBlock) small.moduleList().get(5)).sublayers());
    }

    @Test
    void aStructureEndingInALinearBlockRuns() {
        GENet net = new GENet("ConvKX(1,4,3,2)BN(4)RELU(4)AdaptiveAvgPool(4,1)Linear(4,6,1)", 1, 3);
        assertArrayEquals(new int[] {6, 4}, net.stateDict().get("module_list.4.netblock.weight").shape());
        assertArrayEquals(new int[] {3, 6}, net.fcLinear().weight().shape());
        net.eval();
        try (var g = Autograd.noGrad()) {
            assertArrayEquals(new int[] {2, 3}, net.forward(Tensor.randn(new Random(3), 2, 1, 8, 8)).shape());
        }
    }

    @Test
    void aSmallStructureRuns() {
        GENet net = new GENet("ConvKX(1,4,3,2)BN(4)RELU(4)ConvDW(4,3,1)SuperResK1DWK1(4,8,3,2,2.0,2)"
                + "AdaptiveAvgPool(8,1)", 1, 3);
        net.eval();
        try (var g = Autograd.noGrad()) {
            assertArrayEquals(new int[] {2, 3}, net.forward(Tensor.randn(new Random(3), 2, 1, 16, 16)).shape());
        }
        assertEquals(4 * 9 + 8 + 4 * 9, net.moduleList().get(0).parameterCount() + net.moduleList().get(1)
                .parameterCount() + net.moduleList().get(3).parameterCount());
    }
}
