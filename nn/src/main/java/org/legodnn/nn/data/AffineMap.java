package org.legodnn.nn.data;

import java.util.SplittableRandom;

/**
 * A 2-D affine map {@code (x, y) ↦ (a·x + b·y + tx, c·x + d·y + ty)} in continuous pixel coordinates (the
 * top-left corner of pixel {@code (i, j)} is {@code (j, i)}, its centre {@code (j + 0.5, i + 0.5)}), with the
 * bilinear warp that draws an image through it: how the generated pose and action data sets move an item about
 * a canvas and know exactly where its corners went.
 */
public record AffineMap(double a, double b, double c, double d, double tx, double ty) {

    public AffineMap {
        double det = a * d - b * c;
        if (!(Math.abs(det) > 1e-12) || !Double.isFinite(tx) || !Double.isFinite(ty)) {
            throw new IllegalArgumentException("AffineMap: [" + a + " " + b + "; " + c + " " + d + "] + (" + tx + ", "
                    + ty + ") is not invertible");
        }
    }

    /**
     * Rotation by {@code degrees} (clockwise on screen, y pointing down) and uniform scaling by {@code scale} about
     * source point {@code (cx, cy)}, which lands on canvas point {@code (px, py)}.
     */
    public static AffineMap rotateScale(double degrees, double scale, double cx, double cy, double px, double py) {
        double t = Math.toRadians(degrees);
        double a = scale * Math.cos(t);
        double b = -scale * Math.sin(t);
        double c = scale * Math.sin(t);
        double d = scale * Math.cos(t);
        return new AffineMap(a, b, c, d, px - (a * cx + b * cy), py - (c * cx + d * cy));
    }

    /**
     * A random placement of a {@code w × h} item on a {@code size × size} canvas: rotation uniform in
     * {@code ±maxDegrees}, scale uniform in {@code [minScale, maxScale]}, and a translation uniform over the
     * positions that keep the item's four corners inside the canvas (the scale is drawn again, smaller, when the
     * rotated item cannot fit).
     */
    public static AffineMap randomPlacement(SplittableRandom rnd, int w, int h, int size, double maxDegrees,
                                            double minScale, double maxScale) {
        double degrees = (2 * rnd.nextDouble() - 1) * maxDegrees;
        double scale = minScale + (maxScale - minScale) * rnd.nextDouble();
        while (true) {
            AffineMap centred = rotateScale(degrees, scale, w / 2.0, h / 2.0, 0, 0);
            double[] box = centred.bounds(w, h);
            double spanX = size - (box[2] - box[0]);
            double spanY = size - (box[3] - box[1]);
            if (spanX >= 0 && spanY >= 0) {
                double px = -box[0] + spanX * rnd.nextDouble();
                double py = -box[1] + spanY * rnd.nextDouble();
                return rotateScale(degrees, scale, w / 2.0, h / 2.0, px, py);
            }
            scale *= 0.95;
        }
    }

    /** Where source point {@code (x, y)} lands: {@code {x', y'}}. */
    public double[] apply(double x, double y) {
        return new double[] {a * x + b * y + tx, c * x + d * y + ty};
    }

    /** The map back. */
    public AffineMap inverse() {
        double det = a * d - b * c;
        double ia = d / det;
        double ib = -b / det;
        double ic = -c / det;
        double id = a / det;
        return new AffineMap(ia, ib, ic, id, -(ia * tx + ib * ty), -(ic * tx + id * ty));
    }

    /** The axis-aligned box {@code {minX, minY, maxX, maxY}} of the image of the {@code w × h} rectangle at the origin. */
    public double[] bounds(int w, int h) {
        double[] box = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (double[] corner : new double[][] {{0, 0}, {w, 0}, {w, h}, {0, h}}) {
            double[] p = apply(corner[0], corner[1]);
            box[0] = Math.min(box[0], p[0]);
            box[1] = Math.min(box[1], p[1]);
            box[2] = Math.max(box[2], p[0]);
            box[3] = Math.max(box[3], p[1]);
        }
        return box;
    }

    /**
     * Draws {@code src} ({@code srcH × srcW} values, row-major) through this map onto {@code dst}
     * ({@code dstH × dstW}): each canvas pixel takes the source sampled bilinearly at the point its centre maps back
     * to, 0 outside the source, combined with what is there by maximum (so items drawn one after another overlap
     * as the brighter).
     */
    public void warp(float[] src, int srcH, int srcW, float[] dst, int dstH, int dstW) {
        AffineMap back = inverse();
        for (int i = 0; i < dstH; i++) {
            for (int j = 0; j < dstW; j++) {
                double[] s = back.apply(j + 0.5, i + 0.5);
                float v = bilinear(src, srcH, srcW, s[0] - 0.5, s[1] - 0.5);
                int at = i * dstW + j;
                dst[at] = Math.max(dst[at], v);
            }
        }
    }

    /** {@code src} at fractional pixel-centre coordinates {@code (x, y)}, zero beyond the edges. */
    private static float bilinear(float[] src, int h, int w, double x, double y) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        double fx = x - x0;
        double fy = y - y0;
        double v = (1 - fx) * (1 - fy) * at(src, h, w, y0, x0) + fx * (1 - fy) * at(src, h, w, y0, x0 + 1)
                + (1 - fx) * fy * at(src, h, w, y0 + 1, x0) + fx * fy * at(src, h, w, y0 + 1, x0 + 1);
        return (float) v;
    }

    private static float at(float[] src, int h, int w, int i, int j) {
        return i < 0 || j < 0 || i >= h || j >= w ? 0f : src[i * w + j];
    }
}
