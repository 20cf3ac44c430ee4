package org.legodnn.kernels.quant;

import java.util.Arrays;
import org.legodnn.kernels.conv.ConvGeometry;

/**
 * The int8 convolution's input side: one image, already quantized to signed bytes ({@link QuantizeKernel}), padded
 * and laid out as the im2col panels that {@link Int8Gemm} streams — a quarter of the bytes the float im2col moves.
 * Padding is the level of 0.0 (the zero point), so a padded tap contributes exactly nothing.
 */
final class Int8Columns {

    private Int8Columns() {
    }

    /**
     * One quantized image {@code img} ({@code [cin][h][w]} signed bytes) with its zero padding made explicit:
     * {@code [cin][h + 2·padH][w + 2·padW]} in {@code padded}, the border set to {@code pad} (the level of 0.0).
     */
    static void pad(ConvGeometry g, byte[] img, byte pad, byte[] padded) {
        int hp = g.h() + 2 * g.padH();
        int wp = g.w() + 2 * g.padW();
        Arrays.fill(padded, 0, g.cin() * hp * wp, pad);
        for (int c = 0; c < g.cin(); c++) {
            for (int ih = 0; ih < g.h(); ih++) {
                System.arraycopy(img, (c * g.h() + ih) * g.w(), padded, (c * hp + ih + g.padH()) * wp + g.padW(), g.w());
            }
        }
    }

    /**
     * The im2col matrix of one padded quantized image ({@link #pad}; group 1) into {@code cols}, cut into panels of
     * {@code width} output positions: the byte that tap {@code k = (c·kh + i)·kw + j} reads for position {@code p}
     * goes to {@code (p / width)·K·width + k·width + p % width}, so that the matrix kernel reads each panel front to
     * back. The last panel's positions past {@code outH·outW} are left as they are.
     */
    static void im2col(ConvGeometry g, byte[] padded, byte[] cols, int width) {
        int hp = g.h() + 2 * g.padH();
        int wp = g.w() + 2 * g.padW();
        int outH = g.outH();
        int outW = g.outW();
        Panels panels = new Panels(cols, g.cin() * g.kh() * g.kw(), width);
        for (int c = 0; c < g.cin(); c++) {
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++) {
                    int k = (c * g.kh() + i) * g.kw() + j;
                    for (int oh = 0; oh < outH; oh++) {
                        int src = (c * hp + oh * g.strideH() + i * g.dilationH()) * wp + j * g.dilationW();
                        if (g.strideW() == 1) {
                            panels.copy(k, oh * outW, padded, src, outW);
                        } else {
                            for (int ow = 0; ow < outW; ow++) {
                                panels.set(k, oh * outW + ow, padded[src + ow * g.strideW()]);
                            }
                        }
                    }
                }
            }
        }
    }

    /** Writes runs of positions of one im2col row into their panels, cutting them where a panel ends. */
    private record Panels(byte[] cols, int depth, int width) {

        void set(int k, int p, byte v) {
            cols[(p / width * depth + k) * width + p % width] = v;
        }

        void copy(int k, int p, byte[] src, int from, int len) {
            while (len > 0) {
                int lane = p % width;
                int n = Math.min(len, width - lane);
                System.arraycopy(src, from, cols, (p / width * depth + k) * width + lane, n);
                p += n;
                from += n;
                len -= n;
            }
        }
    }
}
