package org.legodnn.kernels.conv;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.legodnn.kernels.StridedCopy;
import org.legodnn.kernels.gemm.Gemm;

/**
 * Rearranges a convolution's input so that the convolution becomes one matrix product, and back.
 *
 * <p>The column matrix of one image and one group, for the output rows {@code [oyFrom, oyTo)}, has
 * {@code cinPerGroup·kh·kw} rows of {@code (oyTo − oyFrom)·outW} floats: row {@code (c·kh + i)·kw + j} holds,
 * for every output position in those rows, the input value that kernel tap {@code (i, j)} of channel
 * {@code c} sees there (zero in the padding). {@link #im2col} fills it; {@link #col2im} is its adjoint,
 * summing each row back onto the input positions it came from. Callers take a band of output rows at a
 * time so that the matrix stays in cache between being written here and being read by {@link Gemm}.
 */
final class ConvIm2col {

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private ConvIm2col() {
    }

    /**
     * Fills rows {@code [rowFrom, rowTo)} of the column matrix {@code col} of output rows
     * {@code [oyFrom, oyTo)}, from the {@code cinPerGroup} channel planes of {@code x} starting at {@code xOff}.
     */
    static void im2col(ConvGeometry g, float[] x, int xOff, float[] col, int rowFrom, int rowTo,
                       int oyFrom, int oyTo) {
        int h = g.h(), w = g.w(), kw = g.kw(), taps = g.kh() * kw;
        int ow = g.outW(), len = (oyTo - oyFrom) * ow;
        int sH = g.strideH(), sW = g.strideW();
        // Stride 1 with "same" width: the rows a tap reads are consecutive input rows, one block.
        boolean blocks = sH == 1 && sW == 1 && ow == w;
        for (int r = rowFrom; r < rowTo; r++) {
            int c = r / taps, t = r - c * taps, ki = t / kw, kj = t - ki * kw;
            int plane = xOff + c * h * w;
            int offH = ki * g.dilationH() - g.padH();
            int offW = kj * g.dilationW() - g.padW();
            int lo = firstInside(offW, sW, ow);
            int hi = Math.max(lo, endInside(offW, sW, w, ow));
            int dst = r * len;
            if (blocks) {
                copyBlock(x, plane, col, dst, offH, offW, w, h, oyFrom, oyTo, lo, hi);
                continue;
            }
            for (int oy = oyFrom; oy < oyTo; oy++, dst += ow) {
                int iy = oy * sH + offH;
                if (iy < 0 || iy >= h || lo == hi) {
                    Arrays.fill(col, dst, dst + ow, 0f);
                    continue;
                }
                int src = plane + iy * w + offW;
                for (int ox = 0; ox < lo; ox++) {
                    col[dst + ox] = 0f;
                }
                StridedCopy.everyNth(x, src + lo * sW, sW, col, dst + lo, hi - lo);
                for (int ox = hi; ox < ow; ox++) {
                    col[dst + ox] = 0f;
                }
            }
        }
    }

    /** Floats that {@link #toPhases} writes for {@code channels} input planes of {@code g}. */
    static int phasesSize(ConvGeometry g, int channels) {
        int sW = g.strideW();
        return channels * g.h() * sW * ((g.w() + sW - 1) / sW);
    }

    /**
     * Splits input rows {@code [iyFrom, iyTo)} of the input planes {@code [cFrom, cTo)} of a column-strided
     * convolution into column phases, so that {@link #im2colPhased} copies contiguous runs instead of
     * gathering every {@code strideW}-th value: {@code phases[((c·h + iy)·sW + a)·qw + i] = x[xOff + (c·h +
     * iy)·w + i·sW + a]}, {@code qw = ceil(w / sW)}, zero past the end of a row.
     */
    static void toPhases(ConvGeometry g, float[] x, int xOff, float[] phases, int cFrom, int cTo, int iyFrom,
                         int iyTo) {
        int h = g.h(), w = g.w(), sW = g.strideW(), qw = (w + sW - 1) / sW;
        for (int c = cFrom; c < cTo; c++) {
            for (int iy = iyFrom; iy < iyTo; iy++) {
                int src = xOff + (c * h + iy) * w;
                int dst = (c * h + iy) * sW * qw;
                for (int a = 0; a < sW; a++) {
                    int d = dst + a * qw;
                    int count = (w - a + sW - 1) / sW;
                    StridedCopy.everyNth(x, src + a, sW, phases, d, count);
                    Arrays.fill(phases, d + count, d + qw, 0f);
                }
            }
        }
    }

    /**
     * {@link #im2col} for a convolution with a column stride, from its input's column phases
     * ({@link #toPhases}): tap {@code (i, j)} reads phase {@code (j·dW − padW) mod sW} from a fixed offset, so
     * each output row of each column-matrix row is one contiguous copy.
     */
    static void im2colPhased(ConvGeometry g, float[] phases, float[] col, int rowFrom, int rowTo, int oyFrom,
                             int oyTo) {
        int h = g.h(), w = g.w(), kw = g.kw(), taps = g.kh() * kw;
        int ow = g.outW(), len = (oyTo - oyFrom) * ow;
        int sH = g.strideH(), sW = g.strideW(), qw = (w + sW - 1) / sW;
        for (int r = rowFrom; r < rowTo; r++) {
            int c = r / taps, t = r - c * taps, ki = t / kw, kj = t - ki * kw;
            int offH = ki * g.dilationH() - g.padH();
            int offW = kj * g.dilationW() - g.padW();
            int phase = Math.floorMod(offW, sW);
            int shift = Math.floorDiv(offW, sW);
            int lo = firstInside(offW, sW, ow);
            int hi = Math.max(lo, endInside(offW, sW, w, ow));
            int dst = r * len;
            for (int oy = oyFrom; oy < oyTo; oy++, dst += ow) {
                int iy = oy * sH + offH;
                if (iy < 0 || iy >= h || lo == hi) {
                    Arrays.fill(col, dst, dst + ow, 0f);
                    continue;
                }
                for (int ox = 0; ox < lo; ox++) {
                    col[dst + ox] = 0f;
                }
                System.arraycopy(phases, ((c * h + iy) * sW + phase) * qw + shift + lo, col, dst + lo, hi - lo);
                for (int ox = hi; ox < ow; ox++) {
                    col[dst + ox] = 0f;
                }
            }
        }
    }

    /**
     * One column-matrix row of a stride-1 convolution whose output is as wide as its input: the valid
     * output rows read one contiguous block of the plane, shifted by the tap, so one copy does them all;
     * the few columns that the shift wraps into the neighbouring row ({@code ox < lo} or {@code ox >= hi})
     * are then zeroed, as are the rows that fall into the padding.
     */
    private static void copyBlock(float[] x, int plane, float[] col, int dst, int offH, int offW, int w, int h,
                                  int oyFrom, int oyTo, int lo, int hi) {
        int len = (oyTo - oyFrom) * w;
        int oyLo = Math.max(oyFrom, -offH);
        int oyHi = Math.min(oyTo, h - offH);
        if (oyLo >= oyHi || lo == hi) {
            Arrays.fill(col, dst, dst + len, 0f);
            return;
        }
        Arrays.fill(col, dst, dst + (oyLo - oyFrom) * w, 0f);
        Arrays.fill(col, dst + (oyHi - oyFrom) * w, dst + len, 0f);
        // col[dst + (oy − oyFrom)·w + ox] = x[plane + (oy + offH)·w + ox + offW], inside the plane at both ends.
        int from = dst + (oyLo - oyFrom) * w + lo;
        int to = dst + (oyHi - 1 - oyFrom) * w + hi;
        System.arraycopy(x, plane + (oyLo + offH) * w + offW + lo, col, from, to - from);
        for (int oy = oyLo; oy < oyHi; oy++) {
            int row = dst + (oy - oyFrom) * w;
            for (int ox = 0; ox < lo; ox++) {
                col[row + ox] = 0f;
            }
            for (int ox = hi; ox < w; ox++) {
                col[row + ox] = 0f;
            }
        }
    }

    /**
     * Adds the column matrix of output rows {@code [oyFrom, oyTo)} back onto channels {@code [cFrom, cTo)} of
     * the group's input planes starting at {@code xOff}; the sum starts from what those planes hold. Rows of
     * one channel touch only that channel's plane, so disjoint channel ranges may run in parallel.
     */
    static void col2im(ConvGeometry g, float[] col, float[] x, int xOff, int cFrom, int cTo, int oyFrom, int oyTo) {
        int h = g.h(), w = g.w(), kh = g.kh(), kw = g.kw(), taps = kh * kw;
        int ow = g.outW(), len = (oyTo - oyFrom) * ow;
        int sH = g.strideH(), sW = g.strideW();
        boolean blocks = sH == 1 && sW == 1 && ow == w;
        for (int c = cFrom; c < cTo; c++) {
            int plane = xOff + c * h * w;
            for (int t = 0; t < taps; t++) {
                int ki = t / kw, kj = t - ki * kw;
                int offH = ki * g.dilationH() - g.padH();
                int offW = kj * g.dilationW() - g.padW();
                int lo = firstInside(offW, sW, ow);
                int hi = endInside(offW, sW, w, ow);
                if (lo >= hi) {
                    continue;
                }
                int src = (c * taps + t) * len;
                if (blocks) {
                    addBlock(col, src, x, plane, offH, offW, w, h, oyFrom, oyTo, lo, hi);
                    continue;
                }
                for (int oy = oyFrom; oy < oyTo; oy++, src += ow) {
                    int iy = oy * sH + offH;
                    if (iy < 0 || iy >= h) {
                        continue;
                    }
                    int dst = plane + iy * w + offW;
                    if (sW == 1) {
                        add(col, src + lo, x, dst + lo, hi - lo);
                    } else {
                        for (int ox = lo; ox < hi; ox++) {
                            x[dst + ox * sW] += col[src + ox];
                        }
                    }
                }
            }
        }
    }

    /**
     * The adjoint of {@link #copyBlock}: zeroes the column-matrix entries that fall into the padding
     * ({@code ox < lo} or {@code ox >= hi}; their gradient is dropped), after which the whole valid block is
     * one contiguous, shifted sum onto the plane.
     */
    private static void addBlock(float[] col, int src, float[] x, int plane, int offH, int offW, int w, int h,
                                 int oyFrom, int oyTo, int lo, int hi) {
        int oyLo = Math.max(oyFrom, -offH);
        int oyHi = Math.min(oyTo, h - offH);
        if (oyLo >= oyHi) {
            return;
        }
        for (int oy = oyLo; oy < oyHi; oy++) {
            int row = src + (oy - oyFrom) * w;
            for (int ox = 0; ox < lo; ox++) {
                col[row + ox] = 0f;
            }
            for (int ox = hi; ox < w; ox++) {
                col[row + ox] = 0f;
            }
        }
        int from = src + (oyLo - oyFrom) * w + lo;
        int to = src + (oyHi - 1 - oyFrom) * w + hi;
        add(col, from, x, plane + (oyLo + offH) * w + offW + lo, to - from);
    }

    /** {@code x[xOff + i] += col[colOff + i]} for {@code i < len}. */
    private static void add(float[] col, int colOff, float[] x, int xOff, int len) {
        int i = 0;
        for (int bound = SPECIES.loopBound(len); i < bound; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, x, xOff + i)
                    .add(FloatVector.fromArray(SPECIES, col, colOff + i))
                    .intoArray(x, xOff + i);
        }
        for (; i < len; i++) {
            x[xOff + i] += col[colOff + i];
        }
    }

    /** The first output index {@code o >= 0} with {@code o·stride + off >= 0}, at most {@code outLen}. */
    static int firstInside(int off, int stride, int outLen) {
        return off >= 0 ? 0 : Math.min(outLen, (-off + stride - 1) / stride);
    }

    /** One past the last output index {@code o < outLen} with {@code o·stride + off < len}, at least 0. */
    static int endInside(int off, int stride, int len, int outLen) {
        int last = len - 1 - off;
        return last < 0 ? 0 : Math.min(outLen, last / stride + 1);
    }
}
