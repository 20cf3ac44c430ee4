package org.legodnn.nn.data;

/**
 * One source image resized to a square, as the synthetic segmentation and detection canvases paste it:
 * bilinear interpolation with {@code align_corners=false} (PyTorch's default; no anti-aliasing), each value
 * rounded to an 8-bit level so that a canvas is exactly bytes, like the images it is made of. Plain float
 * arithmetic in a fixed order, so the same inputs give the same bytes on every JVM.
 */
final class ScaledItem {

    private ScaledItem() {
    }

    /**
     * Channel 0 of image {@code index} of {@code source} resized to {@code side × side}, as bytes 0..255
     * (row-major).
     */
    static int[] of(Dataset source, int index, int side) {
        int h = source.height();
        int w = source.width();
        float[] img = source.image(index);
        int[] out = new int[side * side];
        float sy = (float) h / side;
        float sx = (float) w / side;
        for (int y = 0; y < side; y++) {
            float fy = Math.max(0f, (y + 0.5f) * sy - 0.5f);
            int y0 = Math.min((int) fy, h - 1);
            int y1 = Math.min(y0 + 1, h - 1);
            float wy = fy - y0;
            for (int x = 0; x < side; x++) {
                float fx = Math.max(0f, (x + 0.5f) * sx - 0.5f);
                int x0 = Math.min((int) fx, w - 1);
                int x1 = Math.min(x0 + 1, w - 1);
                float wx = fx - x0;
                float top = img[y0 * w + x0] * (1 - wx) + img[y0 * w + x1] * wx;
                float bottom = img[y1 * w + x0] * (1 - wx) + img[y1 * w + x1] * wx;
                float v = top * (1 - wy) + bottom * wy;
                out[y * side + x] = Math.max(0, Math.min(255, Math.round(v * 255f)));
            }
        }
        return out;
    }
}
