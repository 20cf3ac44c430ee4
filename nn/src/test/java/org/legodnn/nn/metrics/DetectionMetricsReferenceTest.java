package org.legodnn.nn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.legodnn.nn.data.Box;

/**
 * Per-class AP and the means on a fixed, seeded case of 12 images and 3 classes (misses, near-duplicates, exact
 * duplicates, ties in score, boxes past the edge, a class with detections and no ground truth), against the
 * numbers of {@code tools/check_detection_metrics.py}: a NumPy transcription of the VOC devkit's AP and of
 * pycocotools' evaluation, which printed this fixture ({@code --java}).
 */
class DetectionMetricsReferenceTest {

    private static final double EPS = 1e-6;

    // seeded case: mAP50 0.47760073260073255, mAP 0.2288340193909501
    private static final List<List<Box>> TRUTH = List.of(
            List.of(Box.truth(1, 20.5f, 26.5f, 30.0f, 38.5f), Box.truth(1, 6.5f, 1.5f, 13.0f, 7.5f), Box.truth(1, 27.0f, 0.0f, 35.5f, 12.5f)),
            List.of(Box.truth(0, 24.0f, 27.5f, 36.5f, 38.0f), Box.truth(0, 15.0f, 7.5f, 23.5f, 15.0f), Box.truth(0, 29.5f, 0.0f, 33.5f, 5.0f)),
            List.of(Box.truth(0, 2.5f, 7.0f, 11.5f, 18.5f), Box.truth(1, 18.0f, 26.0f, 29.0f, 33.0f)),
            List.of(Box.truth(1, 20.0f, 28.5f, 24.5f, 38.0f), Box.truth(0, 10.5f, 7.0f, 14.0f, 14.5f)),
            List.of(Box.truth(0, 22.5f, 27.5f, 28.0f, 37.0f), Box.truth(0, 5.0f, 11.0f, 18.5f, 25.5f)),
            List.of(Box.truth(1, 14.0f, 9.5f, 22.0f, 21.5f), Box.truth(0, 0.5f, 21.5f, 7.5f, 34.0f), Box.truth(0, 27.0f, 3.5f, 34.5f, 18.0f)),
            List.of(Box.truth(1, 24.0f, 29.0f, 27.0f, 42.0f)),
            List.of(Box.truth(0, 3.0f, 5.0f, 10.5f, 12.0f), Box.truth(0, 28.0f, 25.5f, 37.5f, 40.0f), Box.truth(0, 4.0f, 8.0f, 8.0f, 22.0f)),
            List.of(Box.truth(1, 9.0f, 21.5f, 13.5f, 32.0f), Box.truth(1, 29.0f, 8.5f, 35.5f, 18.5f)),
            List.of(Box.truth(0, 3.5f, 28.5f, 15.5f, 37.0f)),
            List.of(),
            List.of(Box.truth(1, 24.0f, 27.0f, 30.5f, 30.5f), Box.truth(0, 0.5f, 13.0f, 3.5f, 19.0f), Box.truth(0, 21.0f, 7.0f, 35.0f, 12.0f)));
    private static final List<List<Box>> DETECTIONS = List.of(
            List.of(new Box(1, 19.0f, 26.5f, 31.5f, 37.5f, 0.34375f), new Box(1, 20.5f, 26.5f, 30.0f, 38.5f, 0.28125f), new Box(1, 6.5f, 1.5f, 13.5f, 7.5f, 0.515625f), new Box(1, 29.0f, -0.5f, 37.5f, 12.5f, 0.21875f), new Box(1, 27.0f, 0.0f, 35.5f, 12.5f, 0.859375f), new Box(0, 1.0f, 13.0f, 4.0f, 17.5f, 0.515625f)),
            List.of(new Box(0, 25.5f, 26.0f, 37.5f, 37.5f, 0.484375f), new Box(0, 13.0f, 7.5f, 22.5f, 17.0f, 0.875f)),
            List.of(new Box(0, 0.5f, 5.0f, 12.0f, 18.0f, 0.59375f), new Box(0, 2.5f, 7.0f, 11.5f, 18.5f, 0.328125f), new Box(2, 11.5f, 17.5f, 19.5f, 27.5f, 0.453125f)),
            List.of(new Box(1, 19.5f, 30.5f, 26.5f, 36.5f, 0.015625f), new Box(1, 3.5f, 25.0f, 16.5f, 33.5f, 0.9375f), new Box(1, 27.0f, 28.5f, 36.5f, 34.5f, 0.15625f)),
            List.of(new Box(0, 23.0f, 25.5f, 27.5f, 39.0f, 0.40625f), new Box(0, 22.5f, 27.5f, 28.0f, 37.0f, 0.703125f)),
            List.of(new Box(1, 15.0f, 9.0f, 20.0f, 21.5f, 0.4375f), new Box(0, 2.0f, 20.5f, 8.5f, 35.5f, 0.359375f), new Box(0, 28.5f, 5.5f, 36.5f, 16.5f, 0.40625f), new Box(0, 27.0f, 3.5f, 34.5f, 18.0f, 0.921875f), new Box(2, 22.0f, 24.0f, 32.5f, 28.5f, 0.84375f)),
            List.of(new Box(1, 24.5f, 31.0f, 27.0f, 40.0f, 0.71875f), new Box(1, 24.0f, 29.0f, 27.0f, 42.0f, 0.203125f)),
            List.of(new Box(0, 1.5f, 7.0f, 9.0f, 12.0f, 0.9375f), new Box(0, 28.0f, 26.0f, 38.0f, 41.5f, 0.421875f), new Box(0, 5.0f, 10.0f, 6.0f, 20.0f, 0.25f), new Box(1, 28.5f, 22.0f, 34.5f, 34.0f, 0.796875f)),
            List.of(new Box(1, 8.5f, 20.0f, 11.5f, 32.0f, 0.21875f), new Box(1, 29.0f, 8.5f, 35.5f, 18.5f, 0.75f), new Box(2, 14.0f, 5.0f, 24.0f, 13.0f, 0.65625f)),
            List.of(new Box(0, 3.0f, 29.0f, 13.5f, 35.5f, 0.734375f)),
            List.of(new Box(2, 24.0f, 26.5f, 35.5f, 39.5f, 0.125f), new Box(2, 27.0f, 20.5f, 39.5f, 32.0f, 0.875f)),
            List.of(new Box(1, 23.0f, 25.0f, 29.5f, 31.0f, 0.109375f), new Box(0, -1.0f, 13.0f, 2.5f, 19.5f, 0.9375f)));
    private static final double[] AP50 = {0.5052014652014651, 0.44999999999999996, Double.NaN};
    private static final double[] AP = {0.16923294527254923, 0.2884350935093509, Double.NaN};
    private static final double MAP50 = 0.47760073260073255;
    private static final double MAP = 0.2288340193909501;

    @Test
    void perClassApMatchesTheReference() {
        MeanAveragePrecision m = new MeanAveragePrecision(3);
        for (int i = 0; i < TRUTH.size(); i++) {
            m.add(TRUTH.get(i), DETECTIONS.get(i));
        }
        double[] ap50 = m.ap50PerClass();
        double[] ap = m.apPerClass();
        for (int k = 0; k < 3; k++) {
            assertEquals(AP50[k], ap50[k], EPS, "AP50 of class " + k);
            assertEquals(AP[k], ap[k], EPS, "AP of class " + k);
        }
        assertEquals(MAP50, m.map50(), EPS);
        assertEquals(MAP, m.map(), EPS);
    }
}
