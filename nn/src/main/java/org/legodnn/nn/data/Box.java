package org.legodnn.nn.data;

/**
 * One object in an image, as a detection data set labels it and a detector predicts it: a class and an
 * axis-aligned box in pixel coordinates, plus a confidence (1 for ground truth). Coordinates are continuous
 * pixel edges: a box covering pixel columns 3..7 has {@code x1 = 3, x2 = 8}, so its width is {@code x2 − x1}
 * and areas and overlaps need no "+1" (as COCO counts, unlike the VOC devkit's inclusive pixels).
 *
 * @param cls   the class, in {@code [0, classes)}
 * @param x1    left edge
 * @param y1    top edge
 * @param x2    right edge, {@code >= x1}
 * @param y2    bottom edge, {@code >= y1}
 * @param score the detector's confidence; 1 for a ground-truth box
 */
public record Box(int cls, float x1, float y1, float x2, float y2, float score) {

    public Box {
        if (cls < 0) {
            throw new IllegalArgumentException("Box: class " + cls + " must be >= 0");
        }
        if (!(x2 >= x1) || !(y2 >= y1) || !Float.isFinite(x1) || !Float.isFinite(y1) || !Float.isFinite(x2)
                || !Float.isFinite(y2)) {
            throw new IllegalArgumentException("Box: corners (" + x1 + ", " + y1 + ") - (" + x2 + ", " + y2
                    + ") must be finite with x2 >= x1 and y2 >= y1");
        }
        if (!Float.isFinite(score)) {
            throw new IllegalArgumentException("Box: score " + score + " must be finite");
        }
    }

    /** A ground-truth box (score 1). */
    public static Box truth(int cls, float x1, float y1, float x2, float y2) {
        return new Box(cls, x1, y1, x2, y2, 1f);
    }

    /** {@code (x2 − x1) × (y2 − y1)}, in double. */
    public double area() {
        return ((double) x2 - x1) * ((double) y2 - y1);
    }

    /** Intersection over union with {@code other}; 0 when both are empty. Computed in double. */
    public double iou(Box other) {
        double w = Math.min((double) x2, other.x2) - Math.max((double) x1, other.x1);
        double h = Math.min((double) y2, other.y2) - Math.max((double) y1, other.y1);
        if (w <= 0 || h <= 0) {
            return 0;
        }
        double inter = w * h;
        return inter / (area() + other.area() - inter);
    }
}
