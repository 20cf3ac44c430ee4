package org.legodnn.nn.data;

import java.util.SplittableRandom;

/**
 * The standard small-image training augmentation, as torchvision's {@code RandomCrop(size, padding)}
 * followed by {@code RandomHorizontalFlip()}: shift the image by up to {@code padding} pixels in each
 * direction, filling the uncovered border with zeros (black, before normalization), and mirror it with
 * probability ½. It is what lets a small ResNet generalize past memorizing the training set.
 *
 * @param padding the largest shift in pixels (0: no crop)
 * @param flip    whether to mirror half of the images left to right
 */
public record Augment(int padding, boolean flip) {

    public Augment {
        if (padding < 0) {
            throw new IllegalArgumentException("Augment: padding " + padding + " must be >= 0");
        }
    }

    /** No change at all (what evaluation uses). */
    public static final Augment NONE = new Augment(0, false);

    /** Whether this changes anything. */
    public boolean isIdentity() {
        return padding == 0 && !flip;
    }

    /**
     * Writes the augmented version of the CHW image at {@code src[srcOff]} to {@code dst[dstOff]} (no overlap).
     * The crop offsets (each uniform in [0, 2·padding]) and the flip are drawn from {@code rnd} in that order.
     */
    public void apply(float[] src, int srcOff, float[] dst, int dstOff, int channels, int height, int width,
                      SplittableRandom rnd) {
        int dy = padding == 0 ? 0 : rnd.nextInt(2 * padding + 1) - padding;
        int dx = padding == 0 ? 0 : rnd.nextInt(2 * padding + 1) - padding;
        boolean mirror = flip && rnd.nextBoolean();
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            int s = srcOff + c * plane;
            int d = dstOff + c * plane;
            for (int y = 0; y < height; y++) {
                int sy = y + dy;
                if (sy < 0 || sy >= height) {
                    java.util.Arrays.fill(dst, d + y * width, d + (y + 1) * width, 0f);
                    continue;
                }
                for (int x = 0; x < width; x++) {
                    int ox = mirror ? width - 1 - x : x; // flip after the crop, as the torchvision pipeline
                    int sx = ox + dx;
                    dst[d + y * width + x] = sx < 0 || sx >= width ? 0f : src[s + sy * width + sx];
                }
            }
        }
    }
}
