package org.legodnn.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** mnist-det: the canvases follow their recipe, boxes are tight and apart, and the same seed gives the same bytes. */
class DetectionCanvasesTest {

    private static Dataset digits;

    @BeforeAll
    static void load() throws IOException {
        digits = DataCatalog.shipped("mnist").test().load();
    }

    @Test
    void sameSeedSameBytes() throws Exception {
        DetectionCanvases a = new DetectionCanvases(digits, 100, 1);
        DetectionCanvases b = new DetectionCanvases(digits, 100, 1);
        assertArrayEquals(a.canvas(5).pixels(), b.canvas(5).pixels());
        assertEquals(a.canvas(5).boxes(), b.canvas(5).boxes());
        assertEquals("0c33ca00375604fec7ca2b679789816c081a614dbf17b8ddfa2994147e49f4ad", digest(a, 100));
    }

    @Test
    void boxesAreTightApartAndInside() {
        DetectionCanvases det = new DetectionCanvases(digits, 300, 1);
        int[] counts = new int[5];
        for (int i = 0; i < det.size(); i++) {
            DetectionCanvases.Canvas c = det.canvas(i);
            List<Box> boxes = c.boxes();
            counts[boxes.size()]++;
            for (int a = 0; a < boxes.size(); a++) {
                Box box = boxes.get(a);
                assertTrue(box.cls() >= 0 && box.cls() < 10);
                assertTrue(box.x1() >= 0 && box.y1() >= 0 && box.x2() <= 96 && box.y2() <= 96, box.toString());
                assertTrue(box.x2() - box.x1() <= DetectionCanvases.MAX_SIDE && box.y2() - box.y1() <= DetectionCanvases.MAX_SIDE);
                // Tight: every edge row and column of the box has a lit pixel.
                assertTrue(lit(c, (int) box.x1(), (int) box.y1(), (int) box.x1() + 1, (int) box.y2()), "left edge " + box);
                assertTrue(lit(c, (int) box.x2() - 1, (int) box.y1(), (int) box.x2(), (int) box.y2()), "right edge " + box);
                assertTrue(lit(c, (int) box.x1(), (int) box.y1(), (int) box.x2(), (int) box.y1() + 1), "top edge " + box);
                assertTrue(lit(c, (int) box.x1(), (int) box.y2() - 1, (int) box.x2(), (int) box.y2()), "bottom edge " + box);
                for (int b = a + 1; b < boxes.size(); b++) {
                    assertTrue(box.iou(boxes.get(b)) < DetectionCanvases.MAX_IOU, box + " and " + boxes.get(b));
                }
            }
        }
        assertEquals(0, counts[0]);
        for (int k = 1; k <= 4; k++) {
            assertTrue(counts[k] > 30, "canvases with " + k + " digits: " + counts[k]);
        }
    }

    @Test
    void batchesCarryBoxes() {
        DetectionCanvases det = new DetectionCanvases(digits, 10, 1);
        try (DataLoader loader = new DataLoader(det.first(4), DataLoader.Settings.evaluation(4, null));
             DataLoader.Epoch epoch = loader.epoch(0)) {
            Batch b = epoch.next();
            Targets.Boxes t = (Targets.Boxes) b.targets();
            assertEquals(4, t.images());
            assertEquals(det.canvas(2).boxes(), t.perImage().get(2));
            assertArrayEquals(new int[] {4, 1, 96, 96}, b.images().shape());
        }
        assertEquals(Targets.Kind.BOXES, det.targetKind());
        assertThrows(UnsupportedOperationException.class, () -> det.label(0));
    }

    private static boolean lit(DetectionCanvases.Canvas c, int x1, int y1, int x2, int y2) {
        for (int y = y1; y < y2; y++) {
            for (int x = x1; x < x2; x++) {
                if ((c.pixels()[y * DetectionCanvases.SIZE + x] & 0xff) > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    static String digest(DetectionCanvases det, int n) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < n; i++) {
            md.update(det.canvas(i).pixels());
            for (Box b : det.canvas(i).boxes()) {
                md.update(ByteBuffer.allocate(20).putInt(b.cls()).putFloat(b.x1()).putFloat(b.y1()).putFloat(b.x2())
                        .putFloat(b.y2()).array());
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
