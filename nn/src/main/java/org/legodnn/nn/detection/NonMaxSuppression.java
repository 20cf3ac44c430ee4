package org.legodnn.nn.detection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.legodnn.nn.data.Box;

/**
 * Class-wise non-maximum suppression, so that a detector that fires on one object from several neighbouring
 * cells and anchors reports it once: boxes are taken in order of falling score (equal scores in their given
 * order: a stable sort), and a box is dropped when it overlaps an already kept box of the same class by IoU
 * above the threshold (strictly, as torchvision's {@code batched_nms}); boxes of different classes never
 * suppress each other.
 */
public final class NonMaxSuppression {

    /** YOLOv3's threshold. */
    public static final double DEFAULT_IOU = 0.45;

    private NonMaxSuppression() {
    }

    /** The kept boxes, by falling score. */
    public static List<Box> apply(List<Box> boxes, double iouThreshold) {
        if (!(iouThreshold >= 0 && iouThreshold <= 1)) {
            throw new IllegalArgumentException("NonMaxSuppression: IoU threshold " + iouThreshold
                    + " (expected 0 to 1)");
        }
        List<Box> sorted = new ArrayList<>(boxes);
        sorted.sort(Comparator.comparingDouble(Box::score).reversed()); // List.sort is stable
        List<Box> kept = new ArrayList<>();
        for (Box b : sorted) {
            boolean suppressed = false;
            for (Box k : kept) {
                if (k.cls() == b.cls() && k.iou(b) > iouThreshold) {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed) {
                kept.add(b);
            }
        }
        return kept;
    }
}
