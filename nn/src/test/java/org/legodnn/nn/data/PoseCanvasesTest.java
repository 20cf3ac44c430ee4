package org.legodnn.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** fashion-mnist-pose: keypoints are where the item's corners and centre went, and the drawing agrees with them. */
class PoseCanvasesTest {

    private static Dataset items;

    @BeforeAll
    static void load() throws IOException {
        items = DataCatalog.shipped("fashion-mnist").test().load();
    }

    @Test
    void anAffineMapAndItsInverseCancel() {
        AffineMap m = AffineMap.rotateScale(30, 1.5, 14, 14, 32, 30);
        double[] p = m.apply(14, 14);
        assertEquals(32, p[0], 1e-12);
        assertEquals(30, p[1], 1e-12);
        double[] back = m.inverse().apply(m.apply(3, 25)[0], m.apply(3, 25)[1]);
        assertEquals(3, back[0], 1e-9);
        assertEquals(25, back[1], 1e-9);
        // 90° clockwise on screen: +x goes to +y.
        double[] turned = AffineMap.rotateScale(90, 1, 0, 0, 0, 0).apply(1, 0);
        assertEquals(0, turned[0], 1e-12);
        assertEquals(1, turned[1], 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new AffineMap(1, 2, 2, 4, 0, 0));
    }

    @Test
    void anIdentityWarpCopiesTheImage() {
        float[] src = items.image(0);
        float[] dst = new float[28 * 28];
        new AffineMap(1, 0, 0, 1, 0, 0).warp(src, 28, 28, dst, 28, 28);
        assertArrayEquals(src, dst, 1e-6f);
    }

    @Test
    void keypointsAreTheMappedCornersAndCentreAndStayOnTheCanvas() {
        PoseCanvases pose = new PoseCanvases(items, 200, 1);
        for (int i = 0; i < 200; i++) {
            PoseCanvases.Canvas c = pose.canvas(i);
            float[] k = c.keypoints();
            assertEquals(10, k.length);
            for (float v : k) {
                assertTrue(v >= -1e-3 && v <= PoseCanvases.SIZE + 1e-3, "keypoint coordinate " + v + " of canvas " + i);
            }
            // The centre is the mean of the corners (an affine map keeps midpoints), and the side is scale × 28.
            assertEquals((k[0] + k[2] + k[4] + k[6]) / 4, k[8], 1e-3);
            assertEquals((k[1] + k[3] + k[5] + k[7]) / 4, k[9], 1e-3);
            double side = Math.hypot(k[2] - k[0], k[3] - k[1]);
            assertTrue(side >= 28 * 0.8 * Math.pow(0.95, 10) - 1e-6 && side <= 28 * PoseCanvases.MAX_SCALE + 1e-6,
                    "side " + side);
            // The top edge is rotated by at most 40°.
            double degrees = Math.toDegrees(Math.atan2(k[3] - k[1], k[2] - k[0]));
            assertTrue(Math.abs(degrees) <= PoseCanvases.MAX_DEGREES + 1e-6, "rotation " + degrees);
            assertTrue(c.diagonal() >= side * Math.sqrt(2) - 1e-6, "diagonal " + c.diagonal());
        }
    }

    @Test
    void theItemIsDrawnWhereItsCentreWent() {
        PoseCanvases pose = new PoseCanvases(items, 50, 3);
        for (int i = 0; i < 50; i++) {
            PoseCanvases.Canvas c = pose.canvas(i);
            float[] src = items.image(c.item());
            // The canvas pixel at the mapped centre holds the source around its centre (bilinear: within the
            // 2x2 neighbourhood's range).
            int x = (int) Math.floor(c.keypoints()[8]);
            int y = (int) Math.floor(c.keypoints()[9]);
            float v = c.pixels()[y * PoseCanvases.SIZE + x];
            float lo = Float.MAX_VALUE;
            float hi = -Float.MAX_VALUE;
            for (int di = 11; di <= 16; di++) {
                for (int dj = 11; dj <= 16; dj++) {
                    lo = Math.min(lo, src[di * 28 + dj]);
                    hi = Math.max(hi, src[di * 28 + dj]);
                }
            }
            assertTrue(v >= lo - 1e-5 && v <= hi + 1e-5, "canvas " + i + ": " + v + " outside [" + lo + ", " + hi + "]");
        }
    }

    @Test
    void sameSeedSameCanvasesAndBadSizesAreRefused() {
        PoseCanvases a = new PoseCanvases(items, 10, 7);
        PoseCanvases b = new PoseCanvases(items, 10, 7);
        assertArrayEquals(a.canvas(4).pixels(), b.canvas(4).pixels());
        assertArrayEquals(a.canvas(4).keypoints(), b.canvas(4).keypoints());
        assertThrows(IndexOutOfBoundsException.class, () -> a.canvas(10));
        assertThrows(IllegalArgumentException.class, () -> new PoseCanvases(items, -1, 0));
        assertEquals(List.of("top-left", "top-right", "bottom-right", "bottom-left", "centre"), a.classNames());
        assertThrows(UnsupportedOperationException.class, () -> a.label(0));
        SplittableRandom rnd = new SplittableRandom(1);
        double[] box = AffineMap.randomPlacement(rnd, 28, 28, 64, 40, 0.8, 1.6).bounds(28, 28);
        assertTrue(box[0] >= -1e-9 && box[1] >= -1e-9 && box[2] <= 64 + 1e-9 && box[3] <= 64 + 1e-9);
    }
}
