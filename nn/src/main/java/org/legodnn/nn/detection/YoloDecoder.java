package org.legodnn.nn.detection;

import java.util.ArrayList;
import java.util.List;
import org.legodnn.nn.data.Box;

/**
 * Turns a YOLOv3-style detector's raw output ({@link YoloLayout}) into boxes per image, outside the model
 * graph, on plain floats: every anchor of every cell proposes one box, decoded as YOLOv3 does (centre
 * {@code (g + σ(t))·stride}, size {@code anchor·e^t}, clipped to the image), scored by {@code σ(objectness) ×
 * σ(class logit)} of its best class; proposals below the confidence threshold are dropped, the rest go
 * through class-wise {@link NonMaxSuppression}, and the best {@code maxDetections} per image are kept (COCO
 * counts at most 100).
 *
 * @param layout        where the numbers are
 * @param confidence    the lowest score kept (low, since mAP ranks all detections: 0.01 by default)
 * @param iouThreshold  NMS's overlap threshold (0.45)
 * @param maxDetections boxes kept per image at most
 */
public record YoloDecoder(YoloLayout layout, float confidence, double iouThreshold, int maxDetections) {

    /** The thresholds the detection task evaluates with. */
    public static YoloDecoder standard(YoloLayout layout) {
        return new YoloDecoder(layout, 0.01f, NonMaxSuppression.DEFAULT_IOU, 100);
    }

    public YoloDecoder {
        if (!(confidence >= 0 && confidence <= 1) || maxDetections <= 0) {
            throw new IllegalArgumentException("YoloDecoder: confidence " + confidence + ", at most " + maxDetections
                    + " detections (expected a confidence in [0, 1] and a positive count)");
        }
    }

    /** The boxes of each of {@code images} output rows in {@code output} ({@code images × rowLength} values). */
    public List<List<Box>> decode(float[] output, int images) {
        if (images <= 0 || output.length % images != 0) {
            throw new IllegalArgumentException("YoloDecoder: " + output.length + " output values for " + images
                    + " images");
        }
        int row = output.length / images;
        int classes = layout.classesFor(row, "YoloDecoder");
        List<List<Box>> out = new ArrayList<>(images);
        for (int i = 0; i < images; i++) {
            List<Box> kept = NonMaxSuppression.apply(proposals(output, i * row, classes), iouThreshold);
            out.add(kept.size() > maxDetections ? List.copyOf(kept.subList(0, maxDetections)) : kept);
        }
        return out;
    }

    /** Every proposal of one image at or above the confidence threshold, in slot order. */
    List<Box> proposals(float[] d, int base, int classes) {
        List<Box> boxes = new ArrayList<>();
        for (int s = 0; s < layout.scales().size(); s++) {
            YoloLayout.Scale scale = layout.scales().get(s);
            int g = layout.grid(s);
            int cells = g * g;
            for (int a = 0; a < scale.anchorCount(); a++) {
                int anchorBase = base + layout.index(s, a, 0, 0, 0, classes);
                for (int gy = 0; gy < g; gy++) {
                    for (int gx = 0; gx < g; gx++) {
                        int p = anchorBase + gy * g + gx;
                        float objectness = sigmoid(d[p + 4 * cells]);
                        if (objectness < confidence) {
                            continue; // the score is at most the objectness
                        }
                        int best = 0;
                        for (int c = 1; c < classes; c++) {
                            if (d[p + (5 + c) * cells] > d[p + (5 + best) * cells]) {
                                best = c;
                            }
                        }
                        float score = objectness * sigmoid(d[p + (5 + best) * cells]);
                        if (score < confidence) {
                            continue;
                        }
                        boxes.add(corners(d, p, cells, scale, a, gx, gy, best, score));
                    }
                }
            }
        }
        return boxes;
    }

    /** The box that the slot (scale s, anchor a, cell gx, gy) of the row at {@code base} predicts (class 0). */
    Box box(float[] d, int base, int s, int a, int gy, int gx, int classes) {
        int g = layout.grid(s);
        return corners(d, base + layout.index(s, a, 0, gy, gx, classes), g * g, layout.scales().get(s), a, gx, gy, 0, 1f);
    }

    /** Decodes the box whose tx is at {@code d[p]} (the other fields {@code cells} apart). */
    private Box corners(float[] d, int p, int cells, YoloLayout.Scale scale, int a, int gx, int gy, int cls, float score) {
        float size = layout.imageSize();
        float cx = (gx + sigmoid(d[p])) * scale.stride();
        float cy = (gy + sigmoid(d[p + cells])) * scale.stride();
        float w = scale.anchorWidth(a) * exp(d[p + 2 * cells]);
        float h = scale.anchorHeight(a) * exp(d[p + 3 * cells]);
        return new Box(cls, clip(cx - w / 2, size), clip(cy - h / 2, size), clip(cx + w / 2, size), clip(cy + h / 2, size),
                score);
    }

    /** The logistic function, without overflow for large |x|. */
    public static float sigmoid(float x) {
        if (x >= 0) {
            return (float) (1 / (1 + Math.exp(-x)));
        }
        double e = Math.exp(x);
        return (float) (e / (1 + e));
    }

    /** {@code e^t}, with t capped so that a wild logit gives a huge box rather than infinity. */
    private static float exp(float t) {
        return (float) Math.exp(Math.min(t, 20f));
    }

    private static float clip(float v, float size) {
        return Math.max(0f, Math.min(size, v));
    }
}
