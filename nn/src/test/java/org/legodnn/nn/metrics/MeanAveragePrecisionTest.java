package org.legodnn.nn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.legodnn.nn.data.Box;

/** The means over classes: which classes count, and images added one at a time. */
class MeanAveragePrecisionTest {

    private static final double EPS = 1e-6;

    @Test
    void meanOverClassesWithGroundTruth() {
        MeanAveragePrecision m = new MeanAveragePrecision(3);
        // Class 0: one box, found exactly (AP 1 both ways). Class 1: one box, no detection (AP 0).
        // Class 2: no ground truth, one false detection: left out of the means.
        m.add(List.of(Box.truth(0, 0, 0, 10, 10), Box.truth(1, 20, 20, 30, 30)),
                List.of(new Box(0, 0, 0, 10, 10, 0.9f), new Box(2, 40, 40, 50, 50, 0.8f)));
        m.add(List.of(), List.of());
        assertEquals(2, m.images());
        double[] ap50 = m.ap50PerClass();
        assertEquals(1, ap50[0], EPS);
        assertEquals(0, ap50[1], EPS);
        assertTrue(Double.isNaN(ap50[2]));
        assertEquals(0.5, m.map50(), EPS);
        assertEquals(0.5, m.map(), EPS);
    }

    @Test
    void cocoMeanAveragesTheTenThresholds() {
        MeanAveragePrecision m = new MeanAveragePrecision(1);
        // IoU 0.8 = [0,10]x[0,10] vs [0,10]x[0,8]: a hit at 0.50..0.80 (7 thresholds, 0.8 included), a miss
        // at 0.85..0.95: COCO mAP 0.7, VOC mAP50 1.
        m.add(List.of(Box.truth(0, 0, 0, 10, 10)), List.of(new Box(0, 0, 0, 10, 8, 0.9f)));
        assertEquals(1, m.map50(), EPS);
        assertEquals(0.7, m.map(), EPS);
    }

    @Test
    void nothingAddedIsZero() {
        MeanAveragePrecision m = new MeanAveragePrecision(2);
        assertEquals(0, m.map50());
        assertEquals(0, m.map());
    }

    @Test
    void refusesAClassOutsideTheRange() {
        MeanAveragePrecision m = new MeanAveragePrecision(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.add(List.of(Box.truth(2, 0, 0, 1, 1)), List.of()));
        assertTrue(e.getMessage().contains("class 2"), e.getMessage());
    }
}
