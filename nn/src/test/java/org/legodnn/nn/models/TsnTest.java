package org.legodnn.nn.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.legodnn.nn.Module;
import org.legodnn.tensor.Autograd;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/** TSN's snippets, its two streams and its average consensus, checked one snippet at a time. */
class TsnTest {

    @Test
    void snippetsAreTheSegmentsMiddlesWithAFrameOnEachSide() {
        assertArrayEquals(new int[] {1, 4, 6}, Tsn.snippetFrames(8, 3));
        assertArrayEquals(new int[] {1, 2}, Tsn.snippetFrames(4, 2));   // the middle 3 would have no frame 4
        assertArrayEquals(new int[] {1, 3, 6, 8}, Tsn.snippetFrames(10, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Tsn(4, 3, new org.legodnn.nn.Identity(), new org.legodnn.nn.Identity()));
        assertTrue(e.getMessage().contains("4 frames, 3 segments"), e.getMessage());
    }

    /** Counted by hand from the layers (ResNet-18 at width 12 with 1 and 2 input channels, 8 classes each). */
    @Test
    void tsnResnet18HasTwoNarrowResNet18StreamsWithinTheShippedLimit() {
        Module net = ModelZoo.create("tsn_resnet18", 8, 8);
        assertEquals(395_420 + 396_008, net.parameterCount());
        long floats = net.stateDict().values().stream().mapToLong(Tensor::size).sum();
        assertTrue(floats * 4 <= 4_000_000, "weights of " + floats * 4 + " bytes, the shipped limit is 4 MB");
    }

    /** The clip's logits are the mean over snippets and streams of each stream run on one snippet alone. */
    @Test
    void logitsAreTheAverageOfEverySnippetInBothStreams() {
        Tsn net = Tsn.tsnResnet18(8, 8);
        net.eval();
        Tensor clips = Tensor.randn(new Random(5), 2, 8, 48, 48);
        try (var g = Autograd.noGrad()) {
            Tensor y = net.forward(clips);
            assertArrayEquals(new int[] {2, 8}, y.shape());
            Module rgb = net.namedModules().get("rgb");
            Module diff = net.namedModules().get("diff");
            for (int n = 0; n < 2; n++) {
                Tensor clip = Ops.narrow(clips, 0, n, 1);
                float[] mean = new float[8];
                for (int t : net.snippets()) {
                    Tensor frame = Ops.narrow(clip, 1, t, 1);
                    Tensor motion = Ops.sub(Ops.narrow(clip, 1, t, 2), Ops.narrow(clip, 1, t - 1, 2));
                    float[] a = rgb.forward(frame).data();
                    float[] b = diff.forward(motion).data();
                    for (int k = 0; k < 8; k++) {
                        mean[k] += (a[k] + b[k]) / 6;
                    }
                }
                for (int k = 0; k < 8; k++) {
                    assertEquals(mean[k], y.data()[n * 8 + k], 1e-5, "clip " + n + ", class " + k);
                }
            }
        }
    }

    @Test
    void refusesAnInputThatIsNotAClip() {
        Tsn net = Tsn.tsnResnet18(8, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.forward(Tensor.zeros(1, 3, 48, 48)));
        assertTrue(e.getMessage().contains("[N, 8, H, W]") && e.getMessage().contains("[1, 3, 48, 48]"), e.getMessage());
    }
}
