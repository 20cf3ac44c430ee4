package org.legodnn.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** fashion-mnist-seg: the canvases follow their recipe, and the same seed gives the same bytes. */
class SegmentationCanvasesTest {

    private static Dataset items;

    @BeforeAll
    static void load() throws IOException {
        items = DataCatalog.shipped("fashion-mnist").test().load();
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() throws Exception {
        SegmentationCanvases a = new SegmentationCanvases(items, 100, 1);
        SegmentationCanvases b = new SegmentationCanvases(items, 100, 1);
        assertArrayEquals(a.canvas(17).pixels(), b.canvas(17).pixels());
        assertArrayEquals(a.canvas(17).labels(), b.canvas(17).labels());
        assertNotEquals(digest(a, 20), digest(new SegmentationCanvases(items, 100, 2), 20));
        // Pinned: a change to the generator (or to the JVM's arithmetic) changes every data set made with it.
        assertEquals("10b78b8bb56c3beaf51ce3fdb305960fa0abe354d538d219bc31c7a028c35840", digest(a, 100));
    }

    @Test
    void canvasesFollowTheRecipe() {
        SegmentationCanvases seg = new SegmentationCanvases(items, 300, 1);
        assertEquals(11, seg.classes());
        assertEquals("background", seg.classNames().get(0));
        assertEquals("Ankle boot", seg.classNames().get(10));
        int[] itemCounts = new int[4];
        for (int i = 0; i < seg.size(); i++) {
            SegmentationCanvases.Canvas c = seg.canvas(i);
            itemCounts[c.items()]++;
            boolean anyItem = false;
            for (int p = 0; p < c.pixels().length; p++) {
                int v = c.pixels()[p] & 0xff;
                int label = c.labels()[p];
                assertTrue(label >= 0 && label <= 10, "label " + label);
                if (label > 0) {
                    anyItem = true;
                    assertTrue(v > SegmentationCanvases.ITEM_THRESHOLD, "an item pixel of value " + v);
                } else {
                    assertTrue(v <= SegmentationCanvases.ITEM_THRESHOLD, "a background pixel of value " + v);
                }
            }
            assertTrue(anyItem, "canvas " + i + " shows no item");
        }
        assertEquals(0, itemCounts[0]);
        for (int k = 1; k <= 3; k++) {
            assertTrue(itemCounts[k] > 60, "canvases with " + k + " items: " + itemCounts[k]);
        }
    }

    @Test
    void oneItemCanvasKeepsTheItemsClass() {
        SegmentationCanvases seg = new SegmentationCanvases(items.first(1), 50, 3);
        int cls = items.label(0) + 1;
        for (int i = 0; i < seg.size(); i++) {
            for (byte l : seg.canvas(i).labels()) {
                assertTrue(l == 0 || l == cls, "label " + l + " where only class " + cls + " exists");
            }
        }
    }

    @Test
    void batchesCarryPerPixelLabelsThroughSubsets() {
        SegmentationCanvases seg = new SegmentationCanvases(items, 40, 1);
        Dataset part = seg.first(10).subset(new int[] {3, 7});
        assertEquals(Targets.Kind.PIXELS, part.targetKind());
        try (DataLoader loader = new DataLoader(part, DataLoader.Settings.evaluation(2, null));
             DataLoader.Epoch epoch = loader.epoch(0)) {
            Batch b = epoch.next();
            Targets.Pixels t = (Targets.Pixels) b.targets();
            assertEquals(2, t.images());
            assertEquals(64, t.height());
            byte[] expected = seg.canvas(7).labels();
            for (int p = 0; p < expected.length; p++) {
                assertEquals(expected[p], t.labels()[64 * 64 + p]);
            }
            assertEquals((seg.canvas(3).pixels()[100] & 0xff) / 255f, b.images().data()[100], 0);
            IllegalStateException e = assertThrows(IllegalStateException.class, b::labels);
            assertTrue(e.getMessage().contains("per-pixel"), e.getMessage());
        }
    }

    @Test
    void refusesAugmentationAndPerImageLabels() {
        SegmentationCanvases seg = new SegmentationCanvases(items, 4, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DataLoader(seg,
                DataLoader.Settings.training(2, 1, new Augment(2, true), null)));
        assertTrue(e.getMessage().contains("per-pixel labels"), e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> seg.label(0));
        assertThrows(IllegalArgumentException.class, () -> new SegmentationCanvases(seg, 4, 1));
    }

    static String digest(SegmentationCanvases seg, int n) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < n; i++) {
            md.update(seg.canvas(i).pixels());
            md.update(seg.canvas(i).labels());
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
