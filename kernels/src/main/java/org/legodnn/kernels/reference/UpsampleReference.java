package org.legodnn.kernels.reference;

import java.util.Arrays;

/**
 * Upsampling one output at a time, straight from PyTorch's definitions: the yardstick that
 * {@link org.legodnn.kernels.UpsampleKernel} is checked against.
 */
public final class UpsampleReference {

    private UpsampleReference() {
    }

    public static void nearestForward(int n, int c, int h, int w, int scaleH, int scaleW, float[] x, float[] y) {
        int outH = h * scaleH;
        int outW = w * scaleW;
        for (int p = 0; p < n * c; p++) {
            for (int i = 0; i < outH; i++) {
                for (int j = 0; j < outW; j++) {
                    y[(p * outH + i) * outW + j] = x[(p * h + i / scaleH) * w + j / scaleW];
                }
            }
        }
    }

    public static void nearestBackward(int n, int c, int h, int w, int scaleH, int scaleW, float[] gy, float[] gx) {
        int outH = h * scaleH;
        int outW = w * scaleW;
        Arrays.fill(gx, 0, n * c * h * w, 0f);
        for (int p = 0; p < n * c; p++) {
            for (int i = 0; i < outH; i++) {
                for (int j = 0; j < outW; j++) {
                    gx[(p * h + i / scaleH) * w + j / scaleW] += gy[(p * outH + i) * outW + j];
                }
            }
        }
    }

    public static void bilinearForward(int n, int c, int h, int w, int outH, int outW, float[] x, float[] y) {
        for (int p = 0; p < n * c; p++) {
            for (int i = 0; i < outH; i++) {
                float[] ti = tap(h, outH, i);
                for (int j = 0; j < outW; j++) {
                    float[] tj = tap(w, outW, j);
                    int base = p * h * w;
                    float v00 = x[base + (int) ti[0] * w + (int) tj[0]];
                    float v01 = x[base + (int) ti[0] * w + (int) tj[1]];
                    float v10 = x[base + (int) ti[1] * w + (int) tj[0]];
                    float v11 = x[base + (int) ti[1] * w + (int) tj[1]];
                    y[(p * outH + i) * outW + j] = ti[2] * (tj[2] * v00 + tj[3] * v01) + ti[3] * (tj[2] * v10 + tj[3] * v11);
                }
            }
        }
    }

    public static void bilinearBackward(int n, int c, int h, int w, int outH, int outW, float[] gy, float[] gx) {
        Arrays.fill(gx, 0, n * c * h * w, 0f);
        for (int p = 0; p < n * c; p++) {
            for (int i = 0; i < outH; i++) {
                float[] ti = tap(h, outH, i);
                for (int j = 0; j < outW; j++) {
                    float[] tj = tap(w, outW, j);
                    int base = p * h * w;
                    float g = gy[(p * outH + i) * outW + j];
                    gx[base + (int) ti[0] * w + (int) tj[0]] += ti[2] * tj[2] * g;
                    gx[base + (int) ti[0] * w + (int) tj[1]] += ti[2] * tj[3] * g;
                    gx[base + (int) ti[1] * w + (int) tj[0]] += ti[3] * tj[2] * g;
                    gx[base + (int) ti[1] * w + (int) tj[1]] += ti[3] * tj[3] * g;
                }
            }
        }
    }

    /**
     * PyTorch's taps for output {@code o} along an axis of {@code in → out}, align_corners=false:
     * {@code {index0, index1, lambda0, lambda1}} with source {@code max(0, (o + 0.5)·in/out − 0.5)}, all in float.
     */
    public static float[] tap(int in, int out, int o) {
        float src = (float) in / out * (o + 0.5f) - 0.5f;
        if (src < 0f) {
            src = 0f;
        }
        int i0 = (int) src;
        int i1 = Math.min(i0 + 1, in - 1);
        float l1 = Math.min(Math.max(src - i0, 0f), 1f);
        return new float[] {i0, i1, 1f - l1, l1};
    }
}
