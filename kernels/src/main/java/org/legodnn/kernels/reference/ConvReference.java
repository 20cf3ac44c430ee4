package org.legodnn.kernels.reference;

import org.legodnn.kernels.conv.ConvGeometry;

/**
 * The definition of 2-D convolution as plain nested loops, summed in double: the truth that the fast
 * kernels in {@link org.legodnn.kernels.ConvKernel} are checked against. Slow on purpose; no tricks.
 *
 * <p>{@code y[n, oc, oy, ox] = bias[oc] + Σ_{c, i, j} w[oc, c, i, j] · x[n, g·cinPerGroup + c,
 * oy·sH − pH + i·dH, ox·sW − pW + j·dW]} with {@code g = oc / coutPerGroup} and zero outside the input.
 */
public final class ConvReference {

    private ConvReference() {
    }

    public static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y) {
        int oh = g.outH(), ow = g.outW(), cing = g.cinPerGroup(), coutg = g.coutPerGroup();
        for (int n = 0; n < g.n(); n++) {
            for (int oc = 0; oc < g.cout(); oc++) {
                int grp = oc / coutg;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double s = bias == null ? 0 : bias[oc];
                        for (int c = 0; c < cing; c++) {
                            int ic = grp * cing + c;
                            for (int i = 0; i < g.kh(); i++) {
                                int iy = oy * g.strideH() - g.padH() + i * g.dilationH();
                                for (int j = 0; j < g.kw(); j++) {
                                    int ix = ox * g.strideW() - g.padW() + j * g.dilationW();
                                    if (iy >= 0 && iy < g.h() && ix >= 0 && ix < g.w()) {
                                        s += (double) w[((oc * cing + c) * g.kh() + i) * g.kw() + j]
                                                * x[((n * g.cin() + ic) * g.h() + iy) * g.w() + ix];
                                    }
                                }
                            }
                        }
                        y[((n * g.cout() + oc) * oh + oy) * ow + ox] = (float) s;
                    }
                }
            }
        }
    }

    /** {@code gx[input position] = Σ over the outputs and taps that read it of w·gy}; overwrites gx. */
    public static void backwardInput(ConvGeometry g, float[] gy, float[] w, float[] gx) {
        int oh = g.outH(), ow = g.outW(), cing = g.cinPerGroup(), coutg = g.coutPerGroup();
        double[] acc = new double[g.inputSize()];
        for (int n = 0; n < g.n(); n++) {
            for (int oc = 0; oc < g.cout(); oc++) {
                int grp = oc / coutg;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double d = gy[((n * g.cout() + oc) * oh + oy) * ow + ox];
                        for (int c = 0; c < cing; c++) {
                            int ic = grp * cing + c;
                            for (int i = 0; i < g.kh(); i++) {
                                int iy = oy * g.strideH() - g.padH() + i * g.dilationH();
                                for (int j = 0; j < g.kw(); j++) {
                                    int ix = ox * g.strideW() - g.padW() + j * g.dilationW();
                                    if (iy >= 0 && iy < g.h() && ix >= 0 && ix < g.w()) {
                                        acc[((n * g.cin() + ic) * g.h() + iy) * g.w() + ix] +=
                                                d * w[((oc * cing + c) * g.kh() + i) * g.kw() + j];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        for (int i = 0; i < acc.length; i++) {
            gx[i] = (float) acc[i];
        }
    }

    /** {@code gw[oc, c, i, j] = Σ_{n, oy, ox} gy[n, oc, oy, ox] · x[the input that tap reads]}; overwrites gw. */
    public static void backwardWeight(ConvGeometry g, float[] x, float[] gy, float[] gw) {
        int oh = g.outH(), ow = g.outW(), cing = g.cinPerGroup(), coutg = g.coutPerGroup();
        for (int oc = 0; oc < g.cout(); oc++) {
            int grp = oc / coutg;
            for (int c = 0; c < cing; c++) {
                int ic = grp * cing + c;
                for (int i = 0; i < g.kh(); i++) {
                    for (int j = 0; j < g.kw(); j++) {
                        double s = 0;
                        for (int n = 0; n < g.n(); n++) {
                            for (int oy = 0; oy < oh; oy++) {
                                int iy = oy * g.strideH() - g.padH() + i * g.dilationH();
                                if (iy < 0 || iy >= g.h()) {
                                    continue;
                                }
                                for (int ox = 0; ox < ow; ox++) {
                                    int ix = ox * g.strideW() - g.padW() + j * g.dilationW();
                                    if (ix >= 0 && ix < g.w()) {
                                        s += (double) gy[((n * g.cout() + oc) * oh + oy) * ow + ox]
                                                * x[((n * g.cin() + ic) * g.h() + iy) * g.w() + ix];
                                    }
                                }
                            }
                        }
                        gw[((oc * cing + c) * g.kh() + i) * g.kw() + j] = (float) s;
                    }
                }
            }
        }
    }

    /** {@code gb[c] = Σ_{n, p} gy[n, c, p]}; overwrites gb. */
    public static void backwardBias(int n, int c, int hw, float[] gy, float[] gb) {
        for (int ch = 0; ch < c; ch++) {
            double s = 0;
            for (int img = 0; img < n; img++) {
                for (int p = 0; p < hw; p++) {
                    s += gy[(img * c + ch) * hw + p];
                }
            }
            gb[ch] = (float) s;
        }
    }

    /**
     * PyTorch's {@code conv_transpose2d} by its own definition, independent of {@link ConvGeometry}'s
     * mapping: every input value {@code x[n, ic, iy, ix]} adds {@code x·w[ic, oc', i, j]} to output
     * {@code [n, g·coutPerGroup + oc', iy·sH − pH + i·dH, ix·sW − pW + j·dW]} where it lands inside.
     * {@code x} is {@code [n, cin, h, w]}, {@code w} is {@code [cin, cout/groups, kh, kw]}, {@code y} is
     * {@code [n, cout, outH, outW]} and is overwritten.
     */
    public static void transposedForward(int n, int cin, int h, int w, int cout, int kh, int kw,
                                         int strideH, int strideW, int padH, int padW, int outH, int outW,
                                         int dilationH, int dilationW, int groups,
                                         float[] x, float[] wt, float[] bias, float[] y) {
        int cing = cin / groups, coutg = cout / groups;
        double[] acc = new double[n * cout * outH * outW];
        for (int img = 0; img < n; img++) {
            for (int oc = 0; oc < cout; oc++) {
                for (int p = 0; p < outH * outW; p++) {
                    acc[(img * cout + oc) * outH * outW + p] = bias == null ? 0 : bias[oc];
                }
            }
            for (int ic = 0; ic < cin; ic++) {
                int grp = ic / cing;
                for (int iy = 0; iy < h; iy++) {
                    for (int ix = 0; ix < w; ix++) {
                        double v = x[((img * cin + ic) * h + iy) * w + ix];
                        for (int c = 0; c < coutg; c++) {
                            int oc = grp * coutg + c;
                            for (int i = 0; i < kh; i++) {
                                int oy = iy * strideH - padH + i * dilationH;
                                for (int j = 0; j < kw; j++) {
                                    int ox = ix * strideW - padW + j * dilationW;
                                    if (oy >= 0 && oy < outH && ox >= 0 && ox < outW) {
                                        acc[((img * cout + oc) * outH + oy) * outW + ox] +=
                                                v * wt[((ic * coutg + c) * kh + i) * kw + j];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        for (int i = 0; i < acc.length; i++) {
            y[i] = (float) acc[i];
        }
    }
}
