package org.legodnn.nn.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.legodnn.nn.data.Box;

/** Decoding hand-made raw outputs: σ/exp boxes at the right cells, scores, thresholds, class-wise NMS. */
class YoloDecoderTest {

    /** 32×32 images, one head of stride 16 (2×2 cells) with anchors 8×8 and 10×8; two classes: 56 values. */
    private static final YoloLayout LAYOUT = new YoloLayout(32, List.of(
            new YoloLayout.Scale(16, new float[][] {{8, 8}, {10, 8}})));
    private static final int CLASSES = 2;

    /** An output row where no slot is confident. */
    private static float[] empty() {
        float[] row = new float[LAYOUT.outputSize(CLASSES)];
        Arrays.fill(row, -10f);
        return row;
    }

    private static void slot(float[] row, int a, int gy, int gx, float tx, float ty, float tw, float th, float obj,
                             float... classLogits) {
        float[] fields = new float[5 + CLASSES];
        fields[0] = tx;
        fields[1] = ty;
        fields[2] = tw;
        fields[3] = th;
        fields[4] = obj;
        System.arraycopy(classLogits, 0, fields, 5, CLASSES);
        for (int k = 0; k < fields.length; k++) {
            row[LAYOUT.index(0, a, k, gy, gx, CLASSES)] = fields[k];
        }
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Test
    void decodesOneConfidentSlot() {
        float[] row = empty();
        // Anchor 0 at cell (gx 0, gy 1): centre (0.5·16, 1.5·16) = (8, 24), size (8·e^ln2, 8) = (16, 8).
        slot(row, 0, 1, 0, 0f, 0f, (float) Math.log(2), 0f, 10f, -3f, 3f);
        List<List<Box>> out = YoloDecoder.standard(LAYOUT).decode(row, 1);
        assertEquals(1, out.size());
        assertEquals(1, out.get(0).size());
        Box b = out.get(0).get(0);
        assertEquals(1, b.cls());
        assertEquals(0f, b.x1(), 1e-5);
        assertEquals(20f, b.y1(), 1e-5);
        assertEquals(16f, b.x2(), 1e-5);
        assertEquals(28f, b.y2(), 1e-5);
        assertEquals(sigmoid(10) * sigmoid(3), b.score(), 1e-6);
    }

    @Test
    void boxesAreClippedToTheImage() {
        float[] row = empty();
        slot(row, 1, 1, 1, 5f, 5f, 2f, 2f, 10f, 3f, -3f); // centre near (32, 32), 10e² × 8e²: clipped but at the top
        Box b = YoloDecoder.standard(LAYOUT).decode(row, 1).get(0).get(0);
        double cy = (1 + sigmoid(5)) * 16;
        assertEquals(0f, b.x1(), 1e-6);
        assertEquals(cy - 4 * Math.exp(2), b.y1(), 1e-4);
        assertEquals(32f, b.x2(), 1e-6);
        assertEquals(32f, b.y2(), 1e-6);
    }

    @Test
    void twoAnchorsOnOneObjectGiveOneBoxButTwoClassesGiveTwo() {
        float[] same = empty();
        slot(same, 0, 0, 0, 0f, 0f, 0.2f, 0f, 4f, 3f, -3f);
        slot(same, 1, 0, 0, 0f, 0f, 0f, 0f, 6f, 3f, -3f); // the same place, surer: it wins
        List<Box> kept = YoloDecoder.standard(LAYOUT).decode(same, 1).get(0);
        assertEquals(1, kept.size());
        assertEquals(sigmoid(6) * sigmoid(3), kept.get(0).score(), 1e-6);

        float[] different = empty();
        slot(different, 0, 0, 0, 0f, 0f, 0.2f, 0f, 4f, 3f, -3f);
        slot(different, 1, 0, 0, 0f, 0f, 0f, 0f, 6f, -3f, 3f);
        assertEquals(2, YoloDecoder.standard(LAYOUT).decode(different, 1).get(0).size());
    }

    @Test
    void dropsScoresBelowTheThresholdAndKeepsTheBestUpToTheLimit() {
        float[] row = empty();
        slot(row, 0, 0, 0, 0f, 0f, 0f, 0f, 0f, 0f, -9f);   // 0.5 · 0.5 = 0.25
        slot(row, 0, 1, 1, 0f, 0f, 0f, 0f, 9f, 9f, -9f);   // ~1
        slot(row, 1, 0, 1, 0f, 0f, 0f, 0f, -6f, 9f, -9f);  // 0.0025: below 0.01
        List<Box> all = YoloDecoder.standard(LAYOUT).decode(row, 1).get(0);
        assertEquals(2, all.size());
        assertTrue(all.get(0).score() > all.get(1).score());
        List<Box> one = new YoloDecoder(LAYOUT, 0.01f, 0.45, 1).decode(row, 1).get(0);
        assertEquals(List.of(all.get(0)), one);
    }

    @Test
    void decodesEachImageOfABatchFromItsOwnRow() {
        float[] rows = new float[2 * LAYOUT.outputSize(CLASSES)];
        float[] first = empty();
        float[] second = empty();
        slot(second, 0, 0, 0, 0f, 0f, 0f, 0f, 9f, 9f, -9f);
        System.arraycopy(first, 0, rows, 0, first.length);
        System.arraycopy(second, 0, rows, first.length, second.length);
        List<List<Box>> out = YoloDecoder.standard(LAYOUT).decode(rows, 2);
        assertEquals(0, out.get(0).size());
        assertEquals(1, out.get(1).size());
    }

    @Test
    void aRowOfTheWrongLengthSaysWhatWasExpected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> YoloDecoder.standard(LAYOUT).decode(new float[57], 1));
        assertEquals("YoloDecoder: an output row of 57 values does not fit the YOLO layout of 32x32 images with strides"
                + " [16] (expected 40 + 8 per class, e.g. 120 for 10 classes)", e.getMessage());
    }
}
