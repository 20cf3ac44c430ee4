package org.legodnn.nn.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.legodnn.nn.data.Box;

/**
 * VOC and COCO average precision on cases worked out by hand (each test's comment has the arithmetic; the same
 * cases were checked against a NumPy transcription of the VOC devkit's {@code voc_eval}/{@code voc_ap} and of
 * pycocotools' {@code evaluateImg}/{@code accumulate}, {@code tools/check_detection_metrics.py}).
 */
class AveragePrecisionTest {

    private static final double EPS = 1e-6;

    private static Box gt(float x1, float y1, float x2, float y2) {
        return Box.truth(0, x1, y1, x2, y2);
    }

    private static Box det(float score, float x1, float y1, float x2, float y2) {
        return new Box(0, x1, y1, x2, y2, score);
    }

    /**
     * Two images, three ground-truth boxes; five detections by score: hit, duplicate of the first hit, hit,
     * miss, hit. TP/FP = 1,0,1,0,1; recall 1/3,1/3,2/3,2/3,1; precision 1,1/2,2/3,1/2,3/5.
     */
    private static final List<List<Box>> TRUTH = List.of(
            List.of(gt(0, 0, 10, 10)),
            List.of(gt(0, 0, 10, 10), gt(20, 20, 30, 30)));
    private static final List<List<Box>> DETS = List.of(
            List.of(det(0.9f, 0, 0, 10, 10), det(0.8f, 1, 0, 11, 10)),
            List.of(det(0.7f, 0, 0, 10, 10), det(0.6f, 50, 50, 60, 60), det(0.5f, 20, 20, 30, 30)));

    @Test
    void vocAllPointWithADuplicate() {
        // Non-increasing precision 1,1,2/3,2/3,3/5: AP = 1/3·1 + 1/3·2/3 + 1/3·3/5 = 34/45.
        assertEquals(34.0 / 45, AveragePrecision.voc(TRUTH, DETS, 0, 0.5), EPS);
    }

    @Test
    void coco101PointWithADuplicate() {
        // Non-increasing precision 1,2/3,2/3,3/5,3/5; recall points 0..0.33 (34) take 1, 0.34..0.66 (33) take
        // 2/3, 0.67..1 (34) take 3/5: (34 + 22 + 20.4) / 101.
        assertEquals(76.4 / 101, AveragePrecision.coco(TRUTH, DETS, 0, 0.5), EPS);
    }

    @Test
    void noDetectionsScoreZeroAndNoGroundTruthIsNaN() {
        List<List<Box>> none = List.of(List.of(), List.of());
        assertEquals(0, AveragePrecision.voc(TRUTH, none, 0, 0.5));
        assertEquals(0, AveragePrecision.coco(TRUTH, none, 0, 0.5));
        // Class 1 has detections (all false positives) but no ground truth: no AP.
        List<List<Box>> other = List.of(List.of(new Box(1, 0, 0, 10, 10, 0.9f)), List.of());
        assertTrue(Double.isNaN(AveragePrecision.voc(TRUTH, other, 1, 0.5)));
        assertTrue(Double.isNaN(AveragePrecision.coco(TRUTH, other, 1, 0.5)));
    }

    /**
     * VOC and COCO part on a duplicate: two overlapping ground-truth boxes, g1 = [0,10]x[0,10] and
     * g2 = [4,14]x[0,10]. The second detection [1,11]x[0,10] overlaps g1 by 90/110 and g2 by 70/130 = 0.538.
     */
    @Test
    void vocCountsADuplicateOfTheBestBoxWhereCocoTakesTheNextOne() {
        List<List<Box>> truth = List.of(List.of(gt(0, 0, 10, 10), gt(4, 0, 14, 10)));
        List<List<Box>> dets = List.of(List.of(det(0.9f, 0, 0, 10, 10), det(0.8f, 1, 0, 11, 10)));
        // VOC: its best box g1 is taken -> false positive; recall 1/2, 1/2, precision 1, 1/2: AP = 1/2.
        assertEquals(0.5, AveragePrecision.voc(truth, dets, 0, 0.5), EPS);
        // COCO at 0.5: g2 is free and 0.538 >= 0.5 -> both hits, AP = 1.
        assertEquals(1.0, AveragePrecision.coco(truth, dets, 0, 0.5), EPS);
        // COCO at 0.55: a miss; recall points 0..0.50 (51 of 101) take precision 1, the rest 0.
        assertEquals(51.0 / 101, AveragePrecision.coco(truth, dets, 0, 0.55), EPS);
        // Over 0.50:0.05:0.95 the first detection (IoU 1) always hits: (1 + 9 · 51/101) / 10.
        double[] all = AveragePrecision.coco(truth, dets, 0, AveragePrecision.cocoThresholds());
        double mean = 0;
        for (double v : all) {
            mean += v / all.length;
        }
        assertEquals((1 + 9 * 51.0 / 101) / 10, mean, EPS);
    }

    @Test
    void iouExactlyAtTheThresholdMatches() {
        // [0,10]x[0,20] against [0,10]x[0,10]: IoU 100/200 = 0.5 exactly.
        List<List<Box>> truth = List.of(List.of(gt(0, 0, 10, 10)));
        List<List<Box>> dets = List.of(List.of(det(0.5f, 0, 0, 10, 20)));
        assertEquals(1.0, AveragePrecision.voc(truth, dets, 0, 0.5), EPS);
        assertEquals(1.0, AveragePrecision.coco(truth, dets, 0, 0.5), EPS);
        assertEquals(0.0, AveragePrecision.coco(truth, dets, 0, 0.55), EPS);
    }

    @Test
    void cocoCountsAtMostOneHundredDetectionsPerImage() {
        // 100 confident misses, then the one hit with the lowest score: COCO never sees the hit (AP 0); VOC
        // ranks it 101st (recall 1 at precision 1/101).
        List<Box> dets = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            dets.add(det(0.9f, 50, 50, 60, 60));
        }
        dets.add(det(0.1f, 0, 0, 10, 10));
        List<List<Box>> truth = List.of(List.of(gt(0, 0, 10, 10)));
        assertEquals(0.0, AveragePrecision.coco(truth, List.of(dets), 0, 0.5), EPS);
        assertEquals(1.0 / 101, AveragePrecision.voc(truth, List.of(dets), 0, 0.5), EPS);
    }

    @Test
    void equalScoresKeepTheirOrder() {
        // Same score: a miss listed before a hit ranks first, so precision at full recall is 1/2.
        List<List<Box>> truth = List.of(List.of(gt(0, 0, 10, 10)));
        List<List<Box>> dets = List.of(List.of(det(0.5f, 50, 50, 60, 60), det(0.5f, 0, 0, 10, 10)));
        assertEquals(0.5, AveragePrecision.voc(truth, dets, 0, 0.5), EPS);
        assertEquals(0.5, AveragePrecision.coco(truth, dets, 0, 0.5), EPS);
    }

    @Test
    void cocoThresholdsAreNumpysLinspace() {
        // numpy.linspace(.5, 0.95, 10) as pycocotools makes it (NumPy 2.4): note 0.8999999999999999.
        assertArrayEquals(new double[] {0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.8999999999999999, 0.95},
                AveragePrecision.cocoThresholds(), 0);
        assertArrayEquals(new double[] {0, 0.5, 1}, AveragePrecision.linspace(0, 1, 3), 0);
    }

    @Test
    void refusesMismatchedImageCounts() {
        assertThrows(IllegalArgumentException.class, () -> AveragePrecision.voc(TRUTH, List.of(), 0, 0.5));
    }
}
