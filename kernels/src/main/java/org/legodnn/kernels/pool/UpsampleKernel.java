package org.legodnn.kernels.pool;

import java.util.Arrays;
import java.util.function.IntConsumer;
import org.legodnn.kernels.Parallel;

/**
 * Nearest and bilinear upsampling with their gradients, for decoder and feature-pyramid heads; the
 * bilinear one follows PyTorch's {@code upsample_bilinear2d} with {@code align_corners=false} to the
 * float, so resized features match PyTorch's. Planes are independent and spread over threads.
 */
public final class UpsampleKernel {

    /** Planes are handed to threads in groups of at least this many output values. */
    private static final int MIN_PARALLEL_WORK = 1 << 14;

    private UpsampleKernel() {
    }

    /** {@code y[oh, ow] = x[oh / scaleH, ow / scaleW]}: each input row is widened once, then copied. */
    public static void nearestForward(int n, int c, int h, int w, int scaleH, int scaleW, float[] x, float[] y) {
        checkNearest("upsampleNearest", n, c, h, w, scaleH, scaleW, x, y);
        int outW = w * scaleW;
        forPlanes(n * c, h * w * scaleH * scaleW, plane -> {
            int in = plane * h * w;
            int out = plane * h * scaleH * outW;
            for (int ih = 0; ih < h; ih++) {
                int row = out + ih * scaleH * outW;
                for (int iw = 0; iw < w; iw++) {
                    Arrays.fill(y, row + iw * scaleW, row + (iw + 1) * scaleW, x[in + ih * w + iw]);
                }
                for (int r = 1; r < scaleH; r++) {
                    System.arraycopy(y, row, y, row + r * outW, outW);
                }
            }
        });
    }

    /** {@code gx[ih, iw] = Σ gy} over its {@code scaleH × scaleW} block; overwritten. */
    public static void nearestBackward(int n, int c, int h, int w, int scaleH, int scaleW, float[] gy, float[] gx) {
        checkNearest("upsampleNearestBackward", n, c, h, w, scaleH, scaleW, gx, gy);
        int outW = w * scaleW;
        forPlanes(n * c, h * w * scaleH * scaleW, plane -> {
            int in = plane * h * w;
            int out = plane * h * scaleH * outW;
            for (int ih = 0; ih < h; ih++) {
                for (int iw = 0; iw < w; iw++) {
                    float s = 0f;
                    for (int dy = 0; dy < scaleH; dy++) {
                        int row = out + (ih * scaleH + dy) * outW + iw * scaleW;
                        for (int dx = 0; dx < scaleW; dx++) {
                            s += gy[row + dx];
                        }
                    }
                    gx[in + ih * w + iw] = s;
                }
            }
        });
    }

    /** Bilinear resize of every plane from {@code h × w} to {@code outH × outW}, {@code align_corners=false}. */
    public static void bilinearForward(int n, int c, int h, int w, int outH, int outW, float[] x, float[] y) {
        checkBilinear("upsampleBilinear", n, c, h, w, outH, outW, x, y);
        Taps rows = Taps.of(h, outH);
        Taps cols = Taps.of(w, outW);
        forPlanes(n * c, outH * outW, plane -> {
            int in = plane * h * w;
            int out = plane * outH * outW;
            for (int oh = 0; oh < outH; oh++) {
                int r0 = in + rows.i0[oh] * w;
                int r1 = in + rows.i1[oh] * w;
                float l0 = rows.l0[oh];
                float l1 = rows.l1[oh];
                for (int ow = 0; ow < outW; ow++) {
                    int c0 = cols.i0[ow];
                    int c1 = cols.i1[ow];
                    float m0 = cols.l0[ow];
                    float m1 = cols.l1[ow];
                    y[out + oh * outW + ow] = l0 * (m0 * x[r0 + c0] + m1 * x[r0 + c1])
                            + l1 * (m0 * x[r1 + c0] + m1 * x[r1 + c1]);
                }
            }
        });
    }

    /** Scatters each {@code gy} to its four input taps with the forward's weights; {@code gx} is overwritten. */
    public static void bilinearBackward(int n, int c, int h, int w, int outH, int outW, float[] gy, float[] gx) {
        checkBilinear("upsampleBilinearBackward", n, c, h, w, outH, outW, gx, gy);
        Taps rows = Taps.of(h, outH);
        Taps cols = Taps.of(w, outW);
        forPlanes(n * c, outH * outW, plane -> {
            int in = plane * h * w;
            int out = plane * outH * outW;
            Arrays.fill(gx, in, in + h * w, 0f);
            for (int oh = 0; oh < outH; oh++) {
                int r0 = in + rows.i0[oh] * w;
                int r1 = in + rows.i1[oh] * w;
                float l0 = rows.l0[oh];
                float l1 = rows.l1[oh];
                for (int ow = 0; ow < outW; ow++) {
                    float g = gy[out + oh * outW + ow];
                    int c0 = cols.i0[ow];
                    int c1 = cols.i1[ow];
                    float m0 = cols.l0[ow];
                    float m1 = cols.l1[ow];
                    gx[r0 + c0] += l0 * m0 * g;
                    gx[r0 + c1] += l0 * m1 * g;
                    gx[r1 + c0] += l1 * m0 * g;
                    gx[r1 + c1] += l1 * m1 * g;
                }
            }
        });
    }

    /**
     * For every output position along one axis: the two input taps and their weights, computed in float
     * exactly as PyTorch's {@code area_pixel_compute_source_index} and {@code compute_source_index_and_lambda}.
     */
    private record Taps(int[] i0, int[] i1, float[] l0, float[] l1) {

        static Taps of(int in, int out) {
            int[] i0 = new int[out];
            int[] i1 = new int[out];
            float[] l0 = new float[out];
            float[] l1 = new float[out];
            float scale = (float) in / out;
            for (int o = 0; o < out; o++) {
                if (in == out) {
                    i0[o] = o;
                    i1[o] = o;
                    l0[o] = 1f;
                    continue;
                }
                float src = Math.max(scale * (o + 0.5f) - 0.5f, 0f);
                int lo = (int) src;
                i0[o] = lo;
                i1[o] = lo < in - 1 ? lo + 1 : lo;
                l1[o] = Math.min(Math.max(src - lo, 0f), 1f);
                l0[o] = 1f - l1[o];
            }
            return new Taps(i0, i1, l0, l1);
        }
    }

    // ---- plumbing --------------------------------------------------------------------------------------

    private static void forPlanes(int planes, int workPerPlane, IntConsumer body) {
        Parallel.forRange(planes, Math.max(1, MIN_PARALLEL_WORK / Math.max(1, workPerPlane)), (from, to) -> {
            for (int p = from; p < to; p++) {
                body.accept(p);
            }
        });
    }

    private static void checkNearest(String op, int n, int c, int h, int w, int scaleH, int scaleW,
                                     float[] small, float[] large) {
        if (n < 1 || c < 1 || h < 1 || w < 1 || scaleH < 1 || scaleW < 1) {
            throw new IllegalArgumentException(op + ": sizes and scales must be positive, got input [" + n + ", " + c
                    + ", " + h + ", " + w + "], scale " + scaleH + "x" + scaleW);
        }
        checkLengths(op, n, c, h, w, (long) h * scaleH, (long) w * scaleW, small, large);
    }

    private static void checkBilinear(String op, int n, int c, int h, int w, int outH, int outW,
                                      float[] small, float[] large) {
        if (n < 1 || c < 1 || h < 1 || w < 1 || outH < 1 || outW < 1) {
            throw new IllegalArgumentException(op + ": sizes must be positive, got input [" + n + ", " + c + ", " + h
                    + ", " + w + "], output " + outH + "x" + outW);
        }
        checkLengths(op, n, c, h, w, outH, outW, small, large);
    }

    private static void checkLengths(String op, int n, int c, int h, int w, long outH, long outW,
                                     float[] in, float[] out) {
        long inNeed = (long) n * c * h * w;
        long outNeed = (long) n * c * outH * outW;
        if (in.length < inNeed || out.length < outNeed) {
            throw new IllegalArgumentException(op + ": input [" + n + ", " + c + ", " + h + ", " + w + "] needs "
                    + inNeed + " elements and output [" + n + ", " + c + ", " + outH + ", " + outW + "] needs "
                    + outNeed + ", got arrays of " + in.length + " and " + out.length);
        }
    }
}
