package org.legodnn.nn.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.legodnn.nn.data.Box;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/** The YOLOv3 loss: its value on a hand case, the ignore rule, and its gradient through a tiny two-scale head. */
class YoloLossTest {

    /** 32×32 images, stride 16 (2×2) with anchors 8×8 and 16×4; two classes: 56 values per image. */
    private static final YoloLayout ONE_SCALE = new YoloLayout(32, List.of(
            new YoloLayout.Scale(16, new float[][] {{8, 8}, {16, 4}})));
    private static final int CLASSES = 2;

    private static double bce(double x, double t) {
        return Math.max(x, 0) - x * t + Math.log1p(Math.exp(-Math.abs(x)));
    }

    @Test
    void valueOfAHandCase() {
        // An 8x8 box of class 1 centred at (12, 12): anchor 0, cell (0, 0), offsets 0.75, log sizes 0. The other
        // slots' zero outputs predict boxes that overlap it by IoU 0.14 at most, so none is ignored.
        Box truth = Box.truth(1, 8, 8, 16, 16);
        float[] row = new float[ONE_SCALE.outputSize(CLASSES)];
        row[ONE_SCALE.index(0, 0, 0, 0, 0, CLASSES)] = 1f;   // tx
        row[ONE_SCALE.index(0, 0, 2, 0, 0, CLASSES)] = 0.5f; // tw
        row[ONE_SCALE.index(0, 0, 6, 0, 0, CLASSES)] = 2f;   // class 1
        Tensor out = Tensor.of(row, 1, row.length);
        double ln2 = Math.log(2);
        double expected = 8 * ln2                      // objectness of the 8 slots, all at logit 0
                + bce(1, 0.75) + ln2                   // x and y offsets
                + 0.25                                 // (0.5 − 0)² for tw, 0 for th
                + ln2 + bce(2, 1);                     // class 0 (target 0) and class 1 (target 1)
        assertEquals(expected, YoloLoss.of(ONE_SCALE, out, List.of(List.of(truth))).item(), 1e-5);
    }

    @Test
    void theLossIsTheMeanOverImagesOfTheirSums() {
        Box truth = Box.truth(0, 8, 8, 16, 16);
        float[] one = new float[ONE_SCALE.outputSize(CLASSES)];
        float[] two = new float[2 * one.length];
        double single = YoloLoss.of(ONE_SCALE, Tensor.of(one, 1, one.length), List.of(List.of(truth))).item();
        double pair = YoloLoss.of(ONE_SCALE, Tensor.of(two, 2, one.length), List.of(List.of(truth), List.of(truth)))
                .item();
        assertEquals(single, pair, 1e-5);
    }

    @Test
    void aSlotThatAlreadyFindsABoxIsNotPushedTowardsBackground() {
        // Anchor 1 at cell (0, 0) is not assigned (anchor 0 fits the 8x8 box better) but moved onto the box:
        // centre σ(ln 3)·16 = 12, size 16·e^(ln 0.5) × 4·e^(ln 2) = 8 × 8: IoU 1 > 0.5, so its objectness is
        // left out (no gradient), while an empty far slot is trained towards 0 (gradient σ(0) = 0.5).
        Box truth = Box.truth(1, 8, 8, 16, 16);
        float[] row = new float[ONE_SCALE.outputSize(CLASSES)];
        row[ONE_SCALE.index(0, 1, 0, 0, 0, CLASSES)] = (float) Math.log(3);
        row[ONE_SCALE.index(0, 1, 1, 0, 0, CLASSES)] = (float) Math.log(3);
        row[ONE_SCALE.index(0, 1, 2, 0, 0, CLASSES)] = (float) Math.log(0.5);
        row[ONE_SCALE.index(0, 1, 3, 0, 0, CLASSES)] = (float) Math.log(2);
        Tensor out = Tensor.of(row, 1, row.length).requiresGrad(true);
        YoloLoss.of(ONE_SCALE, out, List.of(List.of(truth))).backward();
        assertEquals(0f, out.grad()[ONE_SCALE.index(0, 1, 4, 0, 0, CLASSES)]);
        assertEquals(0.5f, out.grad()[ONE_SCALE.index(0, 1, 4, 1, 1, CLASSES)], 1e-6);
        // The assigned slot learns objectness 1: gradient σ(0) − 1.
        assertEquals(-0.5f, out.grad()[ONE_SCALE.index(0, 0, 4, 0, 0, CLASSES)], 1e-6);
    }

    /**
     * A tiny two-scale head (1×1 convolutions on random 2×2 and 1×1 feature maps, flattened and concatenated as
     * {@code yolov3_resnet18} does): the autograd gradient of every weight equals central differences.
     */
    @Test
    void gradientOfATinyHeadMatchesFiniteDifferences() {
        YoloLayout layout = new YoloLayout(32, List.of(
                new YoloLayout.Scale(16, new float[][] {{8, 8}, {12, 6}}),
                new YoloLayout.Scale(32, new float[][] {{20, 20}, {28, 24}})));
        int fields = 2 * (5 + CLASSES);
        Random rnd = new Random(3);
        Tensor f16 = Tensor.randn(rnd, 2, 3, 2, 2);
        Tensor f32 = Tensor.randn(rnd, 2, 3, 1, 1);
        Tensor w16 = Ops.scale(Tensor.randn(rnd, fields, 3, 1, 1), 0.5f).detach().requiresGrad(true);
        Tensor w32 = Ops.scale(Tensor.randn(rnd, fields, 3, 1, 1), 0.5f).detach().requiresGrad(true);
        List<List<Box>> truth = List.of(
                List.of(Box.truth(0, 2, 3, 11, 12), Box.truth(1, 4, 6, 30, 28)),
                List.of(Box.truth(1, 18, 16, 27, 24)));
        java.util.function.Supplier<Tensor> loss = () -> YoloLoss.of(layout, Ops.concat(
                Ops.flatten(Ops.conv2d(f16, w16, null, 1, 0, 1, 1)),
                Ops.flatten(Ops.conv2d(f32, w32, null, 1, 0, 1, 1))), truth);
        loss.get().backward();
        for (Tensor w : List.of(w16, w32)) {
            float[] analytic = w.grad().clone();
            float[] d = w.data();
            for (int i = 0; i < d.length; i++) {
                float saved = d[i];
                float step = 1e-2f;
                d[i] = saved + step;
                double up = loss.get().item();
                d[i] = saved - step;
                double down = loss.get().item();
                d[i] = saved;
                double numeric = (up - down) / (2 * step);
                assertEquals(numeric, analytic[i], 2e-2 * Math.max(1, Math.abs(numeric)), "weight " + i);
            }
        }
    }

    @Test
    void anOutputOfTheWrongShapeSaysWhatWasExpected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> YoloLoss.of(ONE_SCALE, Tensor.zeros(1, 2, 4, 4), List.of(List.of())));
        assertTrue(e.getMessage().startsWith("detection: the model's output has shape [1, 2, 4, 4] for 1 labelled"
                + " images; expected [1, "), e.getMessage());
    }
}
