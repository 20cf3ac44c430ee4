package org.legodnn.nn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** mIoU and pixel accuracy on cases counted by hand (the counts are in the comments). */
class ConfusionMatrixTest {

    private static final double EPS = 1e-6;

    @Test
    void threeClassesByHand() {
        ConfusionMatrix m = new ConfusionMatrix(3);
        // (truth, predicted): (0,0) x2, (0,1), (1,1) x2, (1,2), (2,2), (2,0)
        m.add(new int[] {0, 0, 1, 1, 2, 2, 0, 1}, new int[] {0, 1, 1, 1, 2, 0, 0, 2});
        // class 0: TP 2, truth 3, predicted 3 -> 2 / (3 + 3 - 2) = 0.5
        assertEquals(0.5, m.iou(0), EPS);
        // class 1: TP 2, truth 3, predicted 3 -> 0.5
        assertEquals(0.5, m.iou(1), EPS);
        // class 2: TP 1, truth 2, predicted 2 -> 1 / 3
        assertEquals(1.0 / 3, m.iou(2), EPS);
        assertEquals((0.5 + 0.5 + 1.0 / 3) / 3, m.meanIoU(), EPS);
        assertEquals(5.0 / 8, m.pixelAccuracy(), EPS);
        assertEquals(8, m.total());
    }

    @Test
    void batchesAddUpToOneCall() {
        ConfusionMatrix whole = new ConfusionMatrix(3);
        whole.add(new int[] {0, 0, 1, 1, 2, 2, 0, 1}, new int[] {0, 1, 1, 1, 2, 0, 0, 2});
        ConfusionMatrix parts = new ConfusionMatrix(3);
        parts.add(new int[] {0, 0, 1}, new int[] {0, 1, 1});
        parts.add(new int[] {1, 2, 2, 0, 1}, new int[] {1, 2, 0, 0, 2});
        assertEquals(whole.meanIoU(), parts.meanIoU(), 0);
        assertEquals(whole.pixelAccuracy(), parts.pixelAccuracy(), 0);
    }

    @Test
    void classesWithoutGroundTruthAreLeftOutOfTheMean() {
        ConfusionMatrix m = new ConfusionMatrix(4);
        // class 3 is predicted once but never true: no IoU, not in the mean; its pixel is a miss of class 0.
        m.add(new int[] {0, 0}, new int[] {0, 3});
        assertEquals(0.5, m.iou(0), EPS); // TP 1, truth 2, predicted 1
        assertTrue(Double.isNaN(m.iou(1)));
        assertTrue(Double.isNaN(m.iou(3)));
        assertEquals(0.5, m.meanIoU(), EPS);
        assertEquals(0.5, m.pixelAccuracy(), EPS);
    }

    @Test
    void perfectAndEmpty() {
        ConfusionMatrix m = new ConfusionMatrix(2);
        assertEquals(0, m.meanIoU());
        assertEquals(0, m.pixelAccuracy());
        m.add(new int[] {1, 0, 1}, new int[] {1, 0, 1});
        assertEquals(1, m.meanIoU(), EPS);
        assertEquals(1, m.pixelAccuracy(), EPS);
    }

    @Test
    void refusesLabelsOutsideTheClasses() {
        ConfusionMatrix m = new ConfusionMatrix(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.add(new int[] {0, 2}, new int[] {0, 0}));
        assertTrue(e.getMessage().contains("pixel 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.add(new int[] {0}, new int[] {0, 0}));
    }
}
