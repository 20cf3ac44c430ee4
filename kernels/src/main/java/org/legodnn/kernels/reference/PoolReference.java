package org.legodnn.kernels.reference;

import java.util.Arrays;
import org.legodnn.kernels.pool.PoolGeometry;

/**
 * The obvious loops for pooling, one output at a time, written straight from PyTorch's definitions: the
 * yardstick that {@link org.legodnn.kernels.PoolKernel} is checked against.
 */
public final class PoolReference {

    private PoolReference() {
    }

    /** Max over each window (padding excluded); {@code argmax} (nullable) gets the first max, or the last NaN. */
    public static void maxForward(PoolGeometry g, float[] x, float[] y, int[] argmax) {
        int oh = g.outH();
        int ow = g.outW();
        for (int n = 0; n < g.n(); n++) {
            for (int c = 0; c < g.c(); c++) {
                int plane = (n * g.c() + c) * g.h() * g.w();
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        float best = Float.NEGATIVE_INFINITY;
                        int bestIdx = -1;
                        for (int ki = 0; ki < g.kh(); ki++) {
                            for (int kj = 0; kj < g.kw(); kj++) {
                                int ih = i * g.strideH() - g.padH() + ki;
                                int iw = j * g.strideW() - g.padW() + kj;
                                if (ih < 0 || ih >= g.h() || iw < 0 || iw >= g.w()) {
                                    continue;
                                }
                                int idx = plane + ih * g.w() + iw;
                                if (bestIdx < 0 || x[idx] > best || Float.isNaN(x[idx])) {
                                    best = x[idx];
                                    bestIdx = idx;
                                }
                            }
                        }
                        int o = ((n * g.c() + c) * oh + i) * ow + j;
                        y[o] = best;
                        if (argmax != null) {
                            argmax[o] = bestIdx;
                        }
                    }
                }
            }
        }
    }

    /** {@code gx} = zero, then {@code gx[argmax[o]] += gy[o]}. */
    public static void maxBackward(PoolGeometry g, float[] gy, int[] argmax, float[] gx) {
        Arrays.fill(gx, 0, g.inputSize(), 0f);
        for (int o = 0; o < g.outputSize(); o++) {
            gx[argmax[o]] += gy[o];
        }
    }

    /** Mean over each window; the divisor is PyTorch's (see {@link #divisor}). */
    public static void avgForward(PoolGeometry g, boolean countIncludePad, float[] x, float[] y) {
        int oh = g.outH();
        int ow = g.outW();
        for (int p = 0; p < g.n() * g.c(); p++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double sum = 0;
                    for (int ki = 0; ki < g.kh(); ki++) {
                        for (int kj = 0; kj < g.kw(); kj++) {
                            int ih = i * g.strideH() - g.padH() + ki;
                            int iw = j * g.strideW() - g.padW() + kj;
                            if (ih >= 0 && ih < g.h() && iw >= 0 && iw < g.w()) {
                                sum += x[(p * g.h() + ih) * g.w() + iw];
                            }
                        }
                    }
                    y[(p * oh + i) * ow + j] = (float) (sum / divisor(g, countIncludePad, i, j));
                }
            }
        }
    }

    /** Each {@code gy / divisor} added to every real input of its window. */
    public static void avgBackward(PoolGeometry g, boolean countIncludePad, float[] gy, float[] gx) {
        Arrays.fill(gx, 0, g.inputSize(), 0f);
        int oh = g.outH();
        int ow = g.outW();
        for (int p = 0; p < g.n() * g.c(); p++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    float grad = gy[(p * oh + i) * ow + j] / divisor(g, countIncludePad, i, j);
                    for (int ki = 0; ki < g.kh(); ki++) {
                        for (int kj = 0; kj < g.kw(); kj++) {
                            int ih = i * g.strideH() - g.padH() + ki;
                            int iw = j * g.strideW() - g.padW() + kj;
                            if (ih >= 0 && ih < g.h() && iw >= 0 && iw < g.w()) {
                                gx[(p * g.h() + ih) * g.w() + iw] += grad;
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * PyTorch's divisor for output {@code (i, j)}: with {@code countIncludePad}, the window clipped to the
     * padded input (so positions beyond it that {@code ceil_mode} adds do not count); otherwise the number
     * of real inputs in the window.
     */
    public static int divisor(PoolGeometry g, boolean countIncludePad, int i, int j) {
        int rows = 0;
        int cols = 0;
        for (int ki = 0; ki < g.kh(); ki++) {
            int ih = i * g.strideH() - g.padH() + ki;
            if (countIncludePad ? ih < g.h() + g.padH() : ih >= 0 && ih < g.h()) {
                rows++;
            }
        }
        for (int kj = 0; kj < g.kw(); kj++) {
            int iw = j * g.strideW() - g.padW() + kj;
            if (countIncludePad ? iw < g.w() + g.padW() : iw >= 0 && iw < g.w()) {
                cols++;
            }
        }
        return rows * cols;
    }

    /** {@code y[p] = mean of plane p}. */
    public static void globalAvgForward(int n, int c, int hw, float[] x, float[] y) {
        for (int p = 0; p < n * c; p++) {
            double sum = 0;
            for (int i = 0; i < hw; i++) {
                sum += x[p * hw + i];
            }
            y[p] = (float) (sum / hw);
        }
    }

    /** {@code gx[p, i] = gy[p] / hw}. */
    public static void globalAvgBackward(int n, int c, int hw, float[] gy, float[] gx) {
        for (int p = 0; p < n * c; p++) {
            for (int i = 0; i < hw; i++) {
                gx[p * hw + i] = gy[p] / hw;
            }
        }
    }
}
