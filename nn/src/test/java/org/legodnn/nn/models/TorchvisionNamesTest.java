package org.legodnn.nn.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.legodnn.nn.Module;
import org.legodnn.tensor.Autograd;
import org.legodnn.tensor.Tensor;

/**
 * State-dict names and shapes of the torchvision models, as the reference ONNX models name their initializers
 * (PyTorch 1.13, torchvision 0.14). The reference files hold 102 (resnet18), 262 (mobilenet_v2) and 87
 * (resnext_tiny) initializers: exactly the state dict without {@code num_batches_tracked}.
 */
class TorchvisionNamesTest {

    private static int withoutCounters(Module m) {
        return (int) m.stateDict().keySet().stream().filter(k -> !k.endsWith("num_batches_tracked")).count();
    }

    private static void shape(Map<String, Tensor> sd, String name, int... expected) {
        Tensor t = sd.get(name);
        if (t == null) {
            throw new AssertionError("missing " + name);
        }
        assertArrayEquals(expected, t.shape(), name);
    }

    @Test
    void resnet18() {
        Module m = ModelZoo.create("resnet18", 3, 1000);
        assertEquals(102, withoutCounters(m));
        Map<String, Tensor> sd = m.stateDict();
        shape(sd, "conv1.weight", 64, 3, 7, 7);
        shape(sd, "layer2.0.downsample.0.weight", 128, 64, 1, 1);
        shape(sd, "layer4.0.downsample.1.running_var", 512);
        shape(sd, "layer4.1.bn2.bias", 512);
        shape(sd, "fc.weight", 1000, 512);
        assertFalse(sd.containsKey("layer1.0.downsample.0.weight"));
    }

    @Test
    void resnextTiny() {
        Module m = ModelZoo.create("resnext_tiny", 3, 100);
        assertEquals(87, withoutCounters(m));
        Map<String, Tensor> sd = m.stateDict();
        shape(sd, "layer1.0.conv1.weight", 32, 64, 1, 1);
        shape(sd, "layer1.0.conv2.weight", 32, 4, 3, 3);
        shape(sd, "layer1.0.downsample.0.weight", 256, 64, 1, 1);
        shape(sd, "layer3.0.conv2.weight", 128, 16, 3, 3);
        shape(sd, "layer4.0.conv3.weight", 2048, 256, 1, 1);
        shape(sd, "fc.weight", 100, 2048);
    }

    @Test
    void mobilenetV2() {
        Module m = ModelZoo.create("mobilenet_v2", 3, 1000);
        assertEquals(262, withoutCounters(m));
        Map<String, Tensor> sd = m.stateDict();
        shape(sd, "features.0.0.weight", 32, 3, 3, 3);
        shape(sd, "features.0.1.running_mean", 32);
        // The first block has no expansion: depthwise at conv.0, projection at conv.1 / conv.2.
        shape(sd, "features.1.conv.0.0.weight", 32, 1, 3, 3);
        shape(sd, "features.1.conv.1.weight", 16, 32, 1, 1);
        shape(sd, "features.1.conv.2.running_var", 16);
        shape(sd, "features.2.conv.0.0.weight", 96, 16, 1, 1);
        shape(sd, "features.2.conv.1.0.weight", 96, 1, 3, 3);
        shape(sd, "features.2.conv.2.weight", 24, 96, 1, 1);
        shape(sd, "features.2.conv.3.bias", 24);
        shape(sd, "features.17.conv.2.weight", 320, 960, 1, 1);
        shape(sd, "features.18.0.weight", 1280, 320, 1, 1);
        shape(sd, "classifier.1.weight", 1000, 1280);
    }

    @Test
    void mobilenetV2WidthMultiplierRoundsToMultiplesOf8() {
        MobileNetV2 half = new MobileNetV2(3, 10, 0.5f);
        Map<String, Tensor> sd = half.stateDict();
        shape(sd, "features.0.0.weight", 16, 3, 3, 3);
        shape(sd, "features.1.conv.1.weight", 8, 16, 1, 1);
        shape(sd, "features.17.conv.2.weight", 160, 480, 1, 1);
        // The last layer never shrinks below 1280.
        shape(sd, "classifier.1.weight", 10, 1280);
        assertEquals(1280, new MobileNetV2(3, 10, 0.35f).lastChannel());
        assertEquals(1792, new MobileNetV2(3, 10, 1.4f).lastChannel());
    }

    @Test
    void vggFeaturesAreNumberedAsOneSequence() {
        Vgg vgg = new Vgg(new int[] {8, 0, 16, 16, 0}, 3, 10);
        Map<String, Tensor> sd = vgg.stateDict();
        shape(sd, "features.0.weight", 8, 3, 3, 3);
        shape(sd, "features.0.bias", 8);
        shape(sd, "features.1.running_var", 8);
        shape(sd, "features.4.weight", 16, 8, 3, 3);
        shape(sd, "features.7.weight", 16, 16, 3, 3);
        shape(sd, "classifier.0.weight", 4096, 16 * 7 * 7);
        shape(sd, "classifier.3.weight", 4096, 4096);
        shape(sd, "classifier.6.weight", 10, 4096);
        vgg.eval();
        try (var g = Autograd.noGrad()) {
            // 28×28 → 7×7 after two pools (identity avgpool); 56 → 14 (2×2 average); 4 → 1 (copied).
            for (int size : new int[] {28, 56, 4}) {
                assertArrayEquals(new int[] {1, 10}, vgg.forward(Tensor.randn(new Random(size), 1, 3, size, size)).shape());
            }
            assertThrows(IllegalArgumentException.class, () -> vgg.forward(Tensor.zeros(1, 3, 40, 40)));
        }
    }

    @Test
    void fcnUsesTorchvisionSegmentationNames() {
        Map<String, Tensor> sd = ModelZoo.create("fcn_resnet18", 3, 21).stateDict();
        shape(sd, "backbone.conv1.weight", 64, 3, 7, 7);
        shape(sd, "backbone.layer4.1.bn2.running_mean", 512);
        shape(sd, "classifier.0.weight", 128, 512, 3, 3);
        shape(sd, "classifier.1.weight", 128);
        shape(sd, "classifier.4.weight", 21, 128, 1, 1);
        shape(sd, "classifier.4.bias", 21);
        assertFalse(sd.containsKey("backbone.fc.weight"));
    }
}
