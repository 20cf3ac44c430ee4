package org.legodnn.nn.data;

import java.util.List;

/**
 * What a batch is labelled with, which is what distinguishes one vision task from another: a class per image
 * (classification), a class per pixel (semantic segmentation) or a set of boxes per image (detection). A data
 * set hands them out per batch ({@link Dataset#targets}), a task's loss and metric read them, and a task's
 * decoder turns a model's output into the same shape, so that predictions and ground truth compare directly.
 */
public sealed interface Targets permits Targets.Classes, Targets.Pixels, Targets.Boxes, Targets.Keypoints,
        Targets.Scores {

    /** The kinds, for checking that a data set suits a task before any work is done. */
    enum Kind {
        /** One class per image. */
        CLASSES,
        /** One class per pixel. */
        PIXELS,
        /** Boxes per image. */
        BOXES,
        /** Keypoints per image. */
        KEYPOINTS,
        /** One anomaly score per image: a prediction only (the truth is a class, normal or anomaly). */
        SCORES;

        /** "class labels", "per-pixel labels", "boxes": for messages. */
        public String describe() {
            return switch (this) {
                case CLASSES -> "class labels";
                case PIXELS -> "per-pixel labels";
                case BOXES -> "boxes";
                case KEYPOINTS -> "keypoints";
                case SCORES -> "anomaly scores";
            };
        }
    }

    /** The number of images these targets are for. */
    int images();

    /** Which kind these are. */
    Kind kind();

    /** One class per image. */
    record Classes(int[] labels) implements Targets {

        @Override
        public int images() {
            return labels.length;
        }

        @Override
        public Kind kind() {
            return Kind.CLASSES;
        }
    }

    /**
     * One class per pixel: {@code labels[(i × height + y) × width + x]} is the class of pixel (y, x) of image i.
     */
    record Pixels(int[] labels, int count, int height, int width) implements Targets {

        public Pixels {
            if (count < 0 || height <= 0 || width <= 0 || labels.length != (long) count * height * width) {
                throw new IllegalArgumentException("Targets.Pixels: " + labels.length + " labels for " + count
                        + " images of " + height + "x" + width);
            }
        }

        @Override
        public int images() {
            return count;
        }

        @Override
        public Kind kind() {
            return Kind.PIXELS;
        }
    }

    /** The boxes of each image (ground truth with score 1, or a detector's predictions with their scores). */
    record Boxes(List<List<Box>> perImage) implements Targets {

        public Boxes {
            perImage = perImage.stream().map(List::copyOf).toList();
        }

        @Override
        public int images() {
            return perImage.size();
        }

        @Override
        public Kind kind() {
            return Kind.BOXES;
        }
    }

    /**
     * The same number of keypoints on every image, in pixels: {@code points[(i × keypoints + k) × 2]} and
     * {@code + 1} are keypoint k's x and y on image i, and {@code reference[i]} is the length PCK scales its
     * threshold by (the object's box diagonal).
     */
    record Keypoints(float[] points, float[] reference, int keypoints) implements Targets {

        public Keypoints {
            if (keypoints <= 0 || points.length != (long) reference.length * keypoints * 2) {
                throw new IllegalArgumentException("Targets.Keypoints: " + points.length + " coordinates for "
                        + reference.length + " images of " + keypoints + " keypoints");
            }
        }

        @Override
        public int images() {
            return reference.length;
        }

        @Override
        public Kind kind() {
            return Kind.KEYPOINTS;
        }
    }

    /** One anomaly score per image, higher meaning more anomalous: what an anomaly detector predicts. */
    record Scores(float[] values) implements Targets {

        @Override
        public int images() {
            return values.length;
        }

        @Override
        public Kind kind() {
            return Kind.SCORES;
        }
    }
}
