package org.legodnn.nn.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Anchor k-means on shapes whose clusters are known: the centroids, their order and the mean IoU. */
class AnchorKMeansTest {

    @Test
    void findsTwoObviousClustersSortedByArea() {
        float[][] wh = {{40, 42}, {10, 20}, {44, 38}, {12, 18}, {42, 40}, {11, 22}};
        AnchorKMeans.Result r = AnchorKMeans.fit(wh, 2, 100);
        assertArrayEquals(new float[] {11, 20}, r.anchors()[0], 1e-5f);
        assertArrayEquals(new float[] {42, 40}, r.anchors()[1], 1e-5f);
        double expected = 0;
        for (float[] b : wh) {
            double best = 0;
            for (float[] a : r.anchors()) {
                best = Math.max(best, AnchorKMeans.shapeIoU(b[0], b[1], a[0], a[1]));
            }
            expected += best / wh.length;
        }
        assertEquals(expected, r.meanIoU(), 1e-9);
    }

    @Test
    void shapeIoUIsTheOverlapOfCentredBoxes() {
        assertEquals(1.0, AnchorKMeans.shapeIoU(8, 8, 8, 8), 0);
        assertEquals(96.0 / 176, AnchorKMeans.shapeIoU(12, 12, 16, 8), 1e-12);
    }

    @Test
    void refusesMoreClustersThanBoxesAndEmptyBoxes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AnchorKMeans.fit(new float[][] {{1, 1}}, 2, 10));
        assertEquals("AnchorKMeans: 2 clusters of 1 boxes (expected 1 <= k <= boxes)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AnchorKMeans.fit(new float[][] {{1, 1}, {0, 3}}, 1, 10));
        assertEquals("AnchorKMeans: box 1 has size 0.0x3.0 (expected positive width and height)", e.getMessage());
    }
}
