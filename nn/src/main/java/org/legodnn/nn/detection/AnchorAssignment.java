package org.legodnn.nn.detection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.legodnn.nn.data.Box;

/**
 * Which output slot answers for which ground-truth box, YOLOv3's rule: each box goes to the one anchor, among
 * all scales' anchors, whose shape overlaps its own best ({@link AnchorKMeans#shapeIoU}, the first on ties),
 * at the grid cell of that scale that holds the box's centre. That slot learns the box (offsets, log size,
 * class) and objectness 1; every other slot learns objectness 0. When two boxes of an image claim one slot
 * the later box keeps it (as the reference implementations overwrite), and the earlier one is not trained.
 */
public final class AnchorAssignment {

    /**
     * One trained slot and what it must predict.
     *
     * @param scale  the head
     * @param anchor the anchor within the head
     * @param gx     the cell's column
     * @param gy     the cell's row
     * @param tx     the centre's offset in the cell, in [0, 1): the target of σ(tx)
     * @param ty     likewise for rows
     * @param tw     {@code log(w / anchor w)}: the target of tw
     * @param th     {@code log(h / anchor h)}
     * @param cls    the box's class
     */
    public record Slot(int scale, int anchor, int gx, int gy, float tx, float ty, float tw, float th, int cls) {
    }

    private AnchorAssignment() {
    }

    /** The slots of one image's boxes, one per box except those that lost a shared slot, in box order. */
    public static List<Slot> assign(YoloLayout layout, List<Box> boxes) {
        Map<Long, Slot> slots = new LinkedHashMap<>();
        for (Box b : boxes) {
            double w = (double) b.x2() - b.x1();
            double h = (double) b.y2() - b.y1();
            if (!(w > 0 && h > 0)) {
                throw new IllegalArgumentException("AnchorAssignment: box " + b + " is empty (expected width and"
                        + " height > 0)");
            }
            int bestScale = 0;
            int bestAnchor = 0;
            double bestIoU = -1;
            for (int s = 0; s < layout.scales().size(); s++) {
                YoloLayout.Scale scale = layout.scales().get(s);
                for (int a = 0; a < scale.anchorCount(); a++) {
                    double iou = AnchorKMeans.shapeIoU(w, h, scale.anchorWidth(a), scale.anchorHeight(a));
                    if (iou > bestIoU) {
                        bestIoU = iou;
                        bestScale = s;
                        bestAnchor = a;
                    }
                }
            }
            YoloLayout.Scale scale = layout.scales().get(bestScale);
            int g = layout.grid(bestScale);
            double cx = (b.x1() + (double) b.x2()) / 2 / scale.stride();
            double cy = (b.y1() + (double) b.y2()) / 2 / scale.stride();
            int gx = Math.min(g - 1, Math.max(0, (int) Math.floor(cx)));
            int gy = Math.min(g - 1, Math.max(0, (int) Math.floor(cy)));
            Slot slot = new Slot(bestScale, bestAnchor, gx, gy, (float) (cx - gx), (float) (cy - gy),
                    (float) Math.log(w / scale.anchorWidth(bestAnchor)), (float) Math.log(h / scale.anchorHeight(bestAnchor)),
                    b.cls());
            long key = (((long) bestScale * 64 + bestAnchor) * 4096 + gy) * 4096 + gx;
            slots.remove(key);
            slots.put(key, slot);
        }
        return new ArrayList<>(slots.values());
    }
}
