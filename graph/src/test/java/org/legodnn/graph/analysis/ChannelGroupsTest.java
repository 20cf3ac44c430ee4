package org.legodnn.graph.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.graph.ValueInfo;
import org.legodnn.graph.onnx.OnnxImporter;
import org.legodnn.graph.trace.Tracer;
import org.legodnn.nn.models.ModelZoo;
import org.legodnn.tensor.Tensor;
import org.legodnn.testing.ReferenceData;

/** Channel-dependency groups against the coupling one reads off the architectures. */
class ChannelGroupsTest {

    private static ChannelGroup groupOf(List<ChannelGroup> groups, String label) {
        for (ChannelGroup g : groups) {
            if (g.labels().contains(label)) {
                return g;
            }
        }
        throw new AssertionError("no group contains " + label + " in " + groups.stream().map(ChannelGroup::labels).toList());
    }

    /** torchvision ResNet-18 (PyTorch's export): the stem and layer1's residual stream are one group, etc. */
    @Test
    void resnet18() throws Exception {
        Graph g = OnnxImporter.read(ReferenceData.model("resnet18").resolve("model.onnx"));
        checkResNet18(ChannelGroups.of(g), "downsample");
    }

    /** The traced zoo ResNet-18 has the same groups. */
    @Test
    void tracedResnet18() {
        Graph g = Tracer.trace(ModelZoo.create("resnet18", 3, 1000), 1, 3, 64, 64);
        checkResNet18(ChannelGroups.of(g), "downsample");
    }

    private static void checkResNet18(List<ChannelGroup> groups, String downsample) {
        ChannelGroup stem = groupOf(groups, "conv1:out");
        assertEquals(List.of("conv1:out", "bn1:channel",
                "layer1.0.conv1:in", "layer1.0.conv2:out", "layer1.0.bn2:channel",
                "layer1.1.conv1:in", "layer1.1.conv2:out", "layer1.1.bn2:channel",
                "layer2.0.conv1:in", "layer2.0." + downsample + ".0:in"), stem.labels());
        assertEquals(64, stem.size());
        assertFalse(stem.fixed());
        for (ChannelGroup.Member m : stem.members()) {
            assertEquals(64, m.indices().length);
            assertEquals(17, m.indices()[17]);
        }
        for (int layer = 2; layer <= 4; layer++) {
            String p = "layer" + layer;
            ChannelGroup g = groupOf(groups, p + ".0.conv2:out");
            List<String> expected = new ArrayList<>(List.of(p + ".0.conv2:out", p + ".0.bn2:channel",
                    p + ".0." + downsample + ".0:out", p + ".0." + downsample + ".1:channel",
                    p + ".1.conv1:in", p + ".1.conv2:out", p + ".1.bn2:channel"));
            if (layer < 4) {
                String next = "layer" + (layer + 1);
                expected.addAll(List.of(next + ".0.conv1:in", next + ".0." + downsample + ".0:in"));
            } else {
                expected.add("fc:in");
            }
            assertEquals(expected, g.labels().stream().filter(l -> !l.startsWith("/")).toList());
            assertEquals(64 << (layer - 1), g.size());
        }
        for (int layer = 1; layer <= 4; layer++) {
            for (int block = 0; block < 2; block++) {
                String p = "layer" + layer + "." + block;
                assertEquals(List.of(p + ".conv1:out", p + ".bn1:channel", p + ".conv2:in"),
                        groupOf(groups, p + ".conv1:out").labels());
            }
        }
        assertTrue(groupOf(groups, "conv1:in").fixed(), "image channels are fixed");
        assertTrue(groupOf(groups, "fc:out").fixed(), "class logits are fixed");
        assertEquals(14, groups.size());
    }

    /** MobileNetV2: a depthwise conv passes the expanded channels through to the projection. */
    @Test
    void mobilenetDepthwise() throws Exception {
        Graph g = OnnxImporter.read(ReferenceData.model("mobilenet_v2").resolve("model.onnx"));
        List<ChannelGroup> groups = ChannelGroups.of(g);
        assertEquals(List.of("features.2.conv.0.0:out", "features.2.conv.0.1:channel", "features.2.conv.1.0:channel",
                "features.2.conv.1.1:channel", "features.2.conv.2:in"), groupOf(groups, "features.2.conv.0.0:out").labels());
        // the 32-channel stream of features.4-6 runs through two residual adds
        ChannelGroup stream = groupOf(groups, "features.4.conv.3:channel");
        assertTrue(stream.labels().containsAll(List.of("features.4.conv.2:out", "features.5.conv.2:out",
                "features.6.conv.2:out", "features.7.conv.0.0:in")), stream.labels().toString());
        assertEquals(32, stream.size());
    }

    /** A concat's consumer is split: each producer owns its segment of the input channels. */
    @Test
    void concatSegments() {
        Map<String, Tensor> w = new java.util.LinkedHashMap<>();
        w.put("a.weight", Tensor.zeros(4, 2, 1, 1));
        w.put("b.weight", Tensor.zeros(3, 2, 1, 1));
        w.put("c.weight", Tensor.zeros(5, 7, 3, 3));
        Attrs.Conv conv = Attrs.Conv.of(1, 0, 1, 1);
        List<Node> nodes = List.of(
                Node.of("a", Op.CONV, conv, List.of("x", "a.weight"), List.of("ya"), "a"),
                Node.of("b", Op.CONV, conv, List.of("x", "b.weight"), List.of("yb"), "b"),
                Node.of("cat", Op.CONCAT, new Attrs.Concat(1), List.of("ya", "yb"), List.of("cat"), ""),
                Node.of("c", Op.CONV, conv, List.of("cat", "c.weight"), List.of("y"), "c"));
        Graph g = new Graph("concat", List.of(new ValueInfo("x", new int[] {1, 2, 6, 6})), List.of("y"), w, nodes);
        List<ChannelGroup> groups = ChannelGroups.of(g);
        ChannelGroup a = groupOf(groups, "a:out");
        assertEquals(List.of("a:out", "c:in"), a.labels());
        assertArrayEquals(new int[] {0, 1, 2, 3}, a.members().get(1).indices());
        ChannelGroup b = groupOf(groups, "b:out");
        assertArrayEquals(new int[] {4, 5, 6}, b.members().get(1).indices());
        assertTrue(groupOf(groups, "c:out").fixed());
    }
}
