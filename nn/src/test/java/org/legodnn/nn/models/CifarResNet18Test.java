package org.legodnn.nn.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.legodnn.tensor.Autograd;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;
import org.legodnn.testing.ReferenceData;

/** The CIFAR ResNet-18 is the network LegoDNN's published profiles describe: same size, names and stage shapes. */
class CifarResNet18Test {

    private static Path teacherMetrics() {
        return ReferenceData.originalLegoDnn().resolve("server-teacher-model-metrics.yaml");
    }

    /** The top-level {@code param:} line of the YAML (block entries are indented). */
    private static long teacherParams() throws IOException {
        for (String line : Files.readAllLines(teacherMetrics())) {
            if (line.startsWith("param:")) {
                return (long) Double.parseDouble(line.substring("param:".length()).strip());
            }
        }
        throw new IllegalStateException("no top-level param: line in " + teacherMetrics());
    }

    @Test
    void parameterCountIsTheTeachersInLegoDnnsMetrics() throws IOException {
        assertEquals(11220132L, teacherParams());
        assertEquals(teacherParams(), new CifarResNet18(3, 100).parameterCount());
        assertEquals(11173962L, new CifarResNet18(3, 10).parameterCount(), "10 classes: 90·513 fewer");
    }

    @Test
    void namesFollowThePyTorchCifarDefinition() {
        Map<String, Tensor> sd = new CifarResNet18(3, 100).stateDict();
        assertArrayEquals(new int[] {64, 3, 3, 3}, sd.get("conv1.weight").shape());
        assertArrayEquals(new int[] {128, 64, 1, 1}, sd.get("layer2.0.shortcut.0.weight").shape());
        assertTrue(sd.containsKey("layer4.0.shortcut.1.running_var"));
        assertFalse(sd.containsKey("layer1.0.shortcut.0.weight"), "layer1 keeps width and stride: identity shortcut");
        assertFalse(sd.containsKey("layer2.1.shortcut.0.weight"));
        assertArrayEquals(new int[] {100, 512}, sd.get("linear.weight").shape());
        assertFalse(sd.containsKey("fc.weight"));
        // 62 parameter tensors + 3 buffers for each of the 20 BNs.
        assertEquals(62 + 60, sd.size());
    }

    @Test
    void stagesHaveTheBlockShapesOfLegoDnnsProfiles() {
        CifarResNet18 model = new CifarResNet18(3, 100);
        model.eval();
        int[][] expected = {{1, 64, 32, 32}, {1, 128, 16, 16}, {1, 256, 8, 8}, {1, 512, 4, 4}};
        try (var g = Autograd.noGrad()) {
            Tensor x = Tensor.randn(new Random(1), 1, 3, 32, 32);
            Tensor out = Ops.relu(model.namedChildren().get("bn1").call(model.namedChildren().get("conv1").call(x)));
            for (int i = 1; i <= 4; i++) {
                out = model.layer(i).call(out);
                assertArrayEquals(expected[i - 1], out.shape(), "layer" + i);
            }
            assertArrayEquals(new int[] {1, 100}, model.forward(x).shape());
        }
    }
}
