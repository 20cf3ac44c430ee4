package org.legodnn.kernels.reference;

import java.util.Arrays;
import org.legodnn.kernels.conv.ConvGeometry;

/**
 * The definition of the Winograd convolution F(4×4, 3×3) that {@link org.legodnn.kernels.ConvWinograd}
 * computes, as plain matrix products per 4×4 output tile: {@code Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A}, summed over
 * input channels, where {@code d} is the tile's 6×6 input patch (zeros outside the image) and {@code g} the
 * 3×3 kernel. It is exact in real arithmetic; in float32 it rounds differently from the direct convolution
 * ({@link ConvReference}), which is why it exists: the SIMD kernel is checked against the same algorithm, and
 * this against the direct definition with the looser tolerance the algorithm needs.
 *
 * <p>The matrices are Lavin and Gray's (2016) for the interpolation points 0, ±1, ±2 and ∞.
 */
public final class WinogradReference {

    /** Input transform Bᵀ (6×6). */
    public static final float[][] BT = {
        {4, 0, -5, 0, 1, 0},
        {0, -4, -4, 1, 1, 0},
        {0, 4, -4, -1, 1, 0},
        {0, -2, -1, 2, 1, 0},
        {0, 2, -1, -2, 1, 0},
        {0, 4, 0, -5, 0, 1},
    };

    /** Kernel transform G (6×3). */
    public static final double[][] G = {
        {1.0 / 4, 0, 0},
        {-1.0 / 6, -1.0 / 6, -1.0 / 6},
        {-1.0 / 6, 1.0 / 6, -1.0 / 6},
        {1.0 / 24, 1.0 / 12, 1.0 / 6},
        {1.0 / 24, -1.0 / 12, 1.0 / 6},
        {0, 0, 1},
    };

    /** Output transform Aᵀ (4×6). */
    public static final float[][] AT = {
        {1, 1, 1, 1, 1, 0},
        {0, 1, -1, 2, -2, 0},
        {0, 1, 1, 4, 4, 0},
        {0, 1, -1, 8, -8, 1},
    };

    private WinogradReference() {
    }

    /**
     * {@code U = G g Gᵀ} for the 3×3 kernel at {@code w[off]} (row-major), computed in double and rounded
     * once: the 36 values, row-major 6×6.
     */
    public static float[] kernelTransform(float[] w, int off) {
        double[][] gg = new double[6][3];
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 3; j++) {
                double s = 0;
                for (int k = 0; k < 3; k++) {
                    s += G[i][k] * w[off + k * 3 + j];
                }
                gg[i][j] = s;
            }
        }
        float[] u = new float[36];
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                double s = 0;
                for (int k = 0; k < 3; k++) {
                    s += gg[i][k] * G[j][k];
                }
                u[i * 6 + j] = (float) s;
            }
        }
        return u;
    }

    /**
     * {@code y = clamp(conv2d(x, w) + bias + residual, lo, hi)} for a 3×3, stride-1, undilated, ungrouped
     * convolution, by Winograd tiles; {@code bias} and {@code residual} may be null.
     *
     * @throws IllegalArgumentException when {@code g} is not such a convolution
     */
    public static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] residual, float lo,
                               float hi, float[] y) {
        if (g.kh() != 3 || g.kw() != 3 || g.strideH() != 1 || g.strideW() != 1 || g.dilationH() != 1
                || g.dilationW() != 1 || g.groups() != 1) {
            throw new IllegalArgumentException("winograd reference: needs a 3x3 stride-1 undilated ungrouped"
                    + " convolution, got " + g);
        }
        int cin = g.cin();
        int oh = g.outH();
        int ow = g.outW();
        float[][] u = new float[g.cout() * cin][];
        for (int i = 0; i < u.length; i++) {
            u[i] = kernelTransform(w, i * 9);
        }
        float[] d = new float[36];
        float[] v = new float[36];
        float[] m = new float[36];
        for (int img = 0; img < g.n(); img++) {
            for (int o = 0; o < g.cout(); o++) {
                for (int ty = 0; ty < oh; ty += 4) {
                    for (int tx = 0; tx < ow; tx += 4) {
                        Arrays.fill(m, 0f);
                        for (int c = 0; c < cin; c++) {
                            patch(g, x, img, c, ty - g.padH(), tx - g.padW(), d);
                            sandwich(BT, d, 6, v);
                            float[] uc = u[o * cin + c];
                            for (int k = 0; k < 36; k++) {
                                m[k] += uc[k] * v[k];
                            }
                        }
                        float[] out = new float[16];
                        sandwich(AT, m, 4, out);
                        for (int r = 0; r < 4 && ty + r < oh; r++) {
                            for (int s = 0; s < 4 && tx + s < ow; s++) {
                                int yi = ((img * g.cout() + o) * oh + ty + r) * ow + tx + s;
                                float val = out[r * 4 + s] + (bias == null ? 0f : bias[o]);
                                if (residual != null) {
                                    val += residual[yi];
                                }
                                y[yi] = Math.min(Math.max(val, lo), hi);
                            }
                        }
                    }
                }
            }
        }
    }

    /** The 6×6 patch of channel {@code c} whose top-left corner is input row {@code iy}, column {@code ix}. */
    private static void patch(ConvGeometry g, float[] x, int img, int c, int iy, int ix, float[] d) {
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                int yy = iy + i;
                int xx = ix + j;
                boolean inside = yy >= 0 && yy < g.h() && xx >= 0 && xx < g.w();
                d[i * 6 + j] = inside ? x[((img * g.cin() + c) * g.h() + yy) * g.w() + xx] : 0f;
            }
        }
    }

    /** {@code out = T · z · Tᵀ} for the {@code rows×6} matrix {@code T} and the 6×6 matrix {@code z}. */
    private static void sandwich(float[][] t, float[] z, int rows, float[] out) {
        float[] tz = new float[rows * 6];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < 6; j++) {
                float s = 0;
                for (int k = 0; k < 6; k++) {
                    s += t[i][k] * z[k * 6 + j];
                }
                tz[i * 6 + j] = s;
            }
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < rows; j++) {
                float s = 0;
                for (int k = 0; k < 6; k++) {
                    s += tz[i * 6 + k] * t[j][k];
                }
                out[i * rows + j] = s;
            }
        }
    }
}
