package org.legodnn.nn.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.legodnn.nn.data.Box;

/** YOLOv3's assignment on hand-built cases: best-shape anchor over all scales, the centre's cell, the targets. */
class AnchorAssignmentTest {

    /** 64×64 images: stride 16 (4×4 grid) with small anchors, stride 32 (2×2) with large ones. */
    static final YoloLayout LAYOUT = new YoloLayout(64, List.of(
            new YoloLayout.Scale(16, new float[][] {{8, 8}, {16, 8}, {8, 16}}),
            new YoloLayout.Scale(32, new float[][] {{32, 32}, {48, 24}, {24, 48}})));

    @Test
    void aWideSmallBoxGoesToTheWideSmallAnchorAtItsCentresCell() {
        // 16x8 centred at (20, 36): anchor {16, 8} of stride 16, cell (1, 2), offsets 0.25, log sizes 0.
        List<AnchorAssignment.Slot> slots = AnchorAssignment.assign(LAYOUT, List.of(Box.truth(3, 12, 32, 28, 40)));
        assertEquals(List.of(new AnchorAssignment.Slot(0, 1, 1, 2, 0.25f, 0.25f, 0f, 0f, 3)), slots);
    }

    @Test
    void aLargeBoxGoesToTheCoarseScale() {
        // 40x40 centred at (48, 20): IoU with {32, 32} is 1024/1600 = 0.64, with {48, 24} 960/1792 = 0.536.
        AnchorAssignment.Slot s = AnchorAssignment.assign(LAYOUT, List.of(Box.truth(7, 28, 0, 68, 40))).get(0);
        assertEquals(1, s.scale());
        assertEquals(0, s.anchor());
        assertEquals(1, s.gx());
        assertEquals(0, s.gy());
        assertEquals(0.5f, s.tx(), 1e-6);
        assertEquals(0.625f, s.ty(), 1e-6);
        assertEquals(Math.log(40.0 / 32), s.tw(), 1e-6);
        assertEquals(Math.log(40.0 / 32), s.th(), 1e-6);
        assertEquals(7, s.cls());
    }

    @Test
    void aShapeEquallyCloseToTwoAnchorsTakesTheFirst() {
        // 8x8 against {8, 8}: IoU 1. Against {16, 8} and {8, 16} a 12x12 box ties: 96/(144+128-96) each; {8, 8}
        // gives 64/144 = 0.444 < 0.545, so the tie is between anchors 1 and 2, and anchor 1 wins.
        AnchorAssignment.Slot s = AnchorAssignment.assign(LAYOUT, List.of(Box.truth(0, 10, 10, 22, 22))).get(0);
        assertEquals(0, s.scale());
        assertEquals(1, s.anchor());
    }

    @Test
    void aCentreOnTheImagesEdgeStaysInTheLastCell() {
        // Centre (64, 64) would be cell 4 of a 4-cell grid: clamped to 3, offset 1.
        AnchorAssignment.Slot s = AnchorAssignment.assign(LAYOUT, List.of(Box.truth(0, 60, 60, 68, 68))).get(0);
        assertEquals(3, s.gx());
        assertEquals(3, s.gy());
        assertEquals(1f, s.tx(), 1e-6);
    }

    @Test
    void twoBoxesClaimingOneSlotLeaveItToTheLater() {
        Box first = Box.truth(1, 16, 16, 24, 24);  // 8x8 centred (20, 20): stride 16, anchor 0, cell (1, 1)
        Box second = Box.truth(2, 18, 18, 26, 26); // centred (22, 22): the same slot
        Box apart = Box.truth(4, 40, 40, 48, 48);
        List<AnchorAssignment.Slot> slots = AnchorAssignment.assign(LAYOUT, List.of(first, second, apart));
        assertEquals(2, slots.size());
        assertEquals(2, slots.get(0).cls());
        assertEquals(0.375f, slots.get(0).tx(), 1e-6);
        assertEquals(4, slots.get(1).cls());
    }

    @Test
    void refusesAnEmptyBox() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AnchorAssignment.assign(LAYOUT, List.of(Box.truth(0, 5, 5, 5, 9))));
        assertTrue(e.getMessage().contains("is empty"), e.getMessage());
    }
}
