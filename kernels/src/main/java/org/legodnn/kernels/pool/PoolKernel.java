package org.legodnn.kernels.pool;

import java.util.Arrays;
import java.util.function.IntConsumer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.legodnn.kernels.Parallel;
import org.legodnn.kernels.StridedCopy;

/**
 * Max, average and global average pooling with their gradients, with PyTorch's semantics (padding never
 * wins a max, {@code count_include_pad}, {@code ceil_mode}), so that pooled models match PyTorch's numbers.
 *
 * <p>Every (image, channel) plane is independent, so the work is spread over planes. Inference-time pooling
 * is separable: the rows of a window are first reduced with vectors along the contiguous width, then each
 * output reduces its few columns of that row. Max pooling that records the argmax (training) scans each
 * window in row-major order exactly as PyTorch does, so ties pick the same input position.
 */
public final class PoolKernel {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    /** Planes are handed to threads in groups of at least this many input elements. */
    private static final int MIN_PARALLEL_WORK = 1 << 14;

    private PoolKernel() {
    }

    /**
     * Max pooling. When {@code argmax} is not null it receives, per output, the flat index into the whole
     * {@code x} array of the input that was chosen: the first maximum in row-major window order, or the
     * last NaN when the window holds one, as PyTorch.
     */
    public static void maxForward(PoolGeometry g, float[] x, float[] y, int[] argmax) {
        checkPool("maxPool2d", g, x.length, y.length);
        if (argmax != null && argmax.length < g.outputSize()) {
            throw new IllegalArgumentException("maxPool2d: argmax has " + argmax.length + " elements, expected at least "
                    + g.outputSize() + " for output [" + g.n() + ", " + g.c() + ", " + g.outH() + ", " + g.outW() + "]");
        }
        if (argmax != null) {
            forPlanes(g, plane -> maxPlaneWithArgmax(g, x, y, argmax, plane));
            return;
        }
        int planes = g.n() * g.c();
        int work = Math.max(g.h() * g.w(), g.outH() * g.outW() * g.kh() * g.kw());
        Parallel.forRange(planes, Math.max(1, MIN_PARALLEL_WORK / work), (from, to) -> {
            float[] buf = new float[maxBandRows(g) * maxRowLength(g)];
            for (int p = from; p < to; p++) {
                maxPlane(g, x, y, p, buf);
            }
        });
    }

    /** Scatters {@code gy} to the input positions in {@code argmax}; {@code gx} is overwritten. */
    public static void maxBackward(PoolGeometry g, float[] gy, int[] argmax, float[] gx) {
        checkPool("maxPool2dBackward", g, gx.length, gy.length);
        if (argmax.length < g.outputSize()) {
            throw new IllegalArgumentException("maxPool2dBackward: argmax has " + argmax.length
                    + " elements, expected at least " + g.outputSize());
        }
        int inPlane = g.h() * g.w();
        int outPlane = g.outH() * g.outW();
        forPlanes(g, plane -> {
            int inBase = plane * inPlane;
            int outBase = plane * outPlane;
            Arrays.fill(gx, inBase, inBase + inPlane, 0f);
            for (int o = outBase; o < outBase + outPlane; o++) {
                int idx = argmax[o];
                if (idx < inBase || idx >= inBase + inPlane) {
                    throw new IllegalArgumentException("maxPool2dBackward: argmax[" + o + "] = " + idx
                            + " lies outside its input plane [" + inBase + ", " + (inBase + inPlane) + ")");
                }
                gx[idx] += gy[o];
            }
        });
    }

    /**
     * Average pooling. With {@code countIncludePad} the divisor counts the padded positions of a window but
     * not the positions beyond the padding that {@code ceil_mode} adds; without it, only real inputs.
     */
    public static void avgForward(PoolGeometry g, boolean countIncludePad, float[] x, float[] y) {
        checkPool("avgPool2d", g, x.length, y.length);
        forPlanes(g, plane -> averagePlane(g, x, y, plane, countIncludePad));
    }

    /** Spreads each {@code gy} evenly (by the forward's divisor) over its window; {@code gx} is overwritten. */
    public static void avgBackward(PoolGeometry g, boolean countIncludePad, float[] gy, float[] gx) {
        checkPool("avgPool2dBackward", g, gx.length, gy.length);
        int h = g.h();
        int w = g.w();
        int outH = g.outH();
        int outW = g.outW();
        forPlanes(g, plane -> {
            int inBase = plane * h * w;
            int outBase = plane * outH * outW;
            Arrays.fill(gx, inBase, inBase + h * w, 0f);
            for (int oh = 0; oh < outH; oh++) {
                int hs = oh * g.strideH() - g.padH();
                int hePad = Math.min(hs + g.kh(), h + g.padH());
                int h0 = Math.max(hs, 0);
                int h1 = Math.min(hePad, h);
                for (int ow = 0; ow < outW; ow++) {
                    int ws = ow * g.strideW() - g.padW();
                    int wePad = Math.min(ws + g.kw(), w + g.padW());
                    int w0 = Math.max(ws, 0);
                    int w1 = Math.min(wePad, w);
                    int divisor = countIncludePad ? (hePad - hs) * (wePad - ws) : (h1 - h0) * (w1 - w0);
                    float grad = gy[outBase + oh * outW + ow] / divisor;
                    for (int ih = h0; ih < h1; ih++) {
                        int row = inBase + ih * w;
                        for (int iw = w0; iw < w1; iw++) {
                            gx[row + iw] += grad;
                        }
                    }
                }
            }
        });
    }

    /** {@code y[p] = mean(x[p·hw .. (p+1)·hw))} for every plane {@code p} of {@code n·c}. */
    public static void globalAvgForward(int n, int c, int hw, float[] x, float[] y) {
        checkGlobal("globalAvgPool", n, c, hw, x.length, y.length);
        int planes = n * c;
        Parallel.forRange(planes, Math.max(1, MIN_PARALLEL_WORK / hw), (from, to) -> {
            for (int p = from; p < to; p++) {
                y[p] = sum(x, p * hw, hw) / hw;
            }
        });
    }

    /** {@code gx[p, :] = gy[p] / hw}, overwritten. */
    public static void globalAvgBackward(int n, int c, int hw, float[] gy, float[] gx) {
        checkGlobal("globalAvgPoolBackward", n, c, hw, gx.length, gy.length);
        int planes = n * c;
        Parallel.forRange(planes, Math.max(1, MIN_PARALLEL_WORK / hw), (from, to) -> {
            for (int p = from; p < to; p++) {
                Arrays.fill(gx, p * hw, (p + 1) * hw, gy[p] / hw);
            }
        });
    }

    // ---- one plane -------------------------------------------------------------------------------------

    /** PyTorch's max pooling loop for one plane: row-major window scan, {@code val > max || isNaN(val)}. */
    private static void maxPlaneWithArgmax(PoolGeometry g, float[] x, float[] y, int[] argmax, int plane) {
        int h = g.h();
        int w = g.w();
        int outH = g.outH();
        int outW = g.outW();
        int inBase = plane * h * w;
        int outBase = plane * outH * outW;
        for (int oh = 0; oh < outH; oh++) {
            int hs = oh * g.strideH() - g.padH();
            int h0 = Math.max(hs, 0);
            int h1 = Math.min(hs + g.kh(), h);
            for (int ow = 0; ow < outW; ow++) {
                int ws = ow * g.strideW() - g.padW();
                int w0 = Math.max(ws, 0);
                int w1 = Math.min(ws + g.kw(), w);
                float best = Float.NEGATIVE_INFINITY;
                int bestIdx = inBase + h0 * w + w0;
                for (int ih = h0; ih < h1; ih++) {
                    int row = inBase + ih * w;
                    for (int iw = w0; iw < w1; iw++) {
                        float v = x[row + iw];
                        boolean take = v > best || v != v; // v != v: NaN wins, as PyTorch's isnan
                        best = take ? v : best;
                        bestIdx = take ? row + iw : bestIdx;
                    }
                }
                y[outBase + oh * outW + ow] = best;
                argmax[outBase + oh * outW + ow] = bestIdx;
            }
        }
    }

    /**
     * Separable average pooling of one plane: for each output row, the window's input rows are summed into
     * {@code rowAcc} with vectors, then every output sums its window's columns of it.
     */
    private static void averagePlane(PoolGeometry g, float[] x, float[] y, int plane, boolean countIncludePad) {
        int h = g.h();
        int w = g.w();
        int outH = g.outH();
        int outW = g.outW();
        int inBase = plane * h * w;
        int outBase = plane * outH * outW;
        float[] rowAcc = new float[w];
        for (int oh = 0; oh < outH; oh++) {
            int hs = oh * g.strideH() - g.padH();
            int hePad = Math.min(hs + g.kh(), h + g.padH());
            int h0 = Math.max(hs, 0);
            int h1 = Math.min(hePad, h);
            sumRows(x, inBase + h0 * w, h1 - h0, w, rowAcc);
            int out = outBase + oh * outW;
            for (int ow = 0; ow < outW; ow++) {
                int ws = ow * g.strideW() - g.padW();
                int wePad = Math.min(ws + g.kw(), w + g.padW());
                int w0 = Math.max(ws, 0);
                int w1 = Math.min(wePad, w);
                float s = 0f;
                for (int iw = w0; iw < w1; iw++) {
                    s += rowAcc[iw];
                }
                int divisor = countIncludePad ? (hePad - hs) * (wePad - ws) : (h1 - h0) * (w1 - w0);
                y[out + ow] = s / divisor;
            }
        }
    }

    /** Floats of one padded row in {@link #maxPlane}: the input row, padding on both sides, vectors of slack. */
    private static int maxRowLength(PoolGeometry g) {
        int span = (g.outW() - 1) * g.strideW() + g.kw();
        return Math.max(span, g.padW() + g.w()) + g.kw() + 2 * SPECIES.length();
    }

    /** Output rows per band in {@link #maxPlane}: their padded rows fill about 32 KB, so that they stay in L1. */
    private static int maxBandRows(PoolGeometry g) {
        return Math.max(1, Math.min(g.outH(), 8192 / maxRowLength(g)));
    }

    /**
     * Max pooling of one plane without argmax, a band of output rows at a time, in passes that each finish
     * before the next reads what it stored: each output row's window rows reduced into a row of {@code buf}
     * padded with -∞ ({@code buf[row + padW + j]} holds column {@code j}); then the maximum of every window
     * along those rows, with vectors (into the output where the stride is 1); then, with a stride, every
     * stride-th of them. Done row by row, each shifted or scalar read of {@code buf} waited on a vector store
     * just before it (store-to-load forwarding fails across a vector's width): ResNet-18's 3×3/2 pooling of
     * 64×112×112 took 0.51–0.79 ms on one Zen 5 core, these passes 0.28–0.30 ms. -∞ never wins over an input
     * value, as PyTorch's padding; NaN propagates.
     */
    private static void maxPlane(PoolGeometry g, float[] x, float[] y, int plane, float[] buf) {
        int h = g.h();
        int w = g.w();
        int outH = g.outH();
        int outW = g.outW();
        int sW = g.strideW();
        int kw = g.kw();
        int pW = g.padW();
        int rowLen = maxRowLength(g);
        int band = maxBandRows(g);
        int inBase = plane * h * w;
        int outBase = plane * outH * outW;
        // The padding that some kept window reads: pW floats before the row, and up to the last window's end after
        // it (none for ResNet's 3×3/2 pooling of 112 columns). Set in loops: two Arrays.fill calls per row cost
        // about as much as the row's maxima. Past that, the lanes read only feed window starts that are dropped.
        int span = (outW - 1) * sW + kw;
        for (int b0 = 0; b0 < outH; b0 += band) {
            int b1 = Math.min(outH, b0 + band);
            for (int oh = b0; oh < b1; oh++) {
                int row = (oh - b0) * rowLen;
                int hs = oh * g.strideH() - g.padH();
                int h0 = Math.max(hs, 0);
                int h1 = Math.min(hs + g.kh(), h);
                for (int px = 0; px < pW; px++) {
                    buf[row + px] = Float.NEGATIVE_INFINITY;
                }
                maxRowsInto(x, inBase + h0 * w, h1 - h0, w, buf, row + pW);
                for (int px = pW + w; px < span; px++) {
                    buf[row + px] = Float.NEGATIVE_INFINITY;
                }
            }
            if (sW == 1) {
                for (int oh = b0; oh < b1; oh++) {
                    windowMaxima(buf, (oh - b0) * rowLen, outW, kw, y, outBase + oh * outW);
                }
                continue;
            }
            // Every window start's maximum in place (a vector's reads lie at or past its own stores), then
            // every stride-th of them: the picks read stores made rows earlier, not just before.
            int starts = (outW - 1) * sW + 1;
            for (int oh = b0; oh < b1; oh++) {
                int row = (oh - b0) * rowLen;
                windowMaxima(buf, row, starts, kw, buf, row);
            }
            StridedCopy.everyNthRows(buf, 0, rowLen, sW, y, outBase + b0 * outW, outW, outW, b1 - b0);
        }
    }

    /**
     * {@code dst[dOff + j] = max(src[sOff + j .. sOff + j + kw))} for {@code j < count}, a vector at a time; where
     * {@code dst} is {@code src} it may also overwrite up to a vector past {@code count}, and reads up to
     * {@code kw - 1} plus a vector past it, which {@link #maxRowLength} leaves room for.
     */
    private static void windowMaxima(float[] src, int sOff, int count, int kw, float[] dst, int dOff) {
        int vl = SPECIES.length();
        int j = 0;
        int bound = src == dst ? count : count - vl + 1;
        for (; j < bound; j += vl) {
            FloatVector m = FloatVector.fromArray(SPECIES, src, sOff + j);
            for (int t = 1; t < kw; t++) {
                m = m.max(FloatVector.fromArray(SPECIES, src, sOff + j + t));
            }
            m.intoArray(dst, dOff + j);
        }
        for (; j < count; j++) {
            float m = src[sOff + j];
            for (int t = 1; t < kw; t++) {
                m = Math.max(m, src[sOff + j + t]);
            }
            dst[dOff + j] = m;
        }
    }

    /**
     * {@code acc[at + j] = max over r < rows of x[off + r·w + j]} for {@code j < w}; {@code rows >= 1}. Each
     * vector of the result is reduced over all the rows in registers and stored once.
     */
    private static void maxRowsInto(float[] x, int off, int rows, int w, float[] acc, int at) {
        int bound = SPECIES.loopBound(w);
        int j = 0;
        for (; j < bound; j += SPECIES.length()) {
            FloatVector m = FloatVector.fromArray(SPECIES, x, off + j);
            for (int r = 1; r < rows; r++) {
                m = m.max(FloatVector.fromArray(SPECIES, x, off + r * w + j));
            }
            m.intoArray(acc, at + j);
        }
        for (; j < w; j++) {
            float m = x[off + j];
            for (int r = 1; r < rows; r++) {
                m = Math.max(m, x[off + r * w + j]);
            }
            acc[at + j] = m;
        }
    }

    /** {@code acc[j] = Σ over r < rows of x[off + r·w + j]}; {@code rows >= 1}. */
    private static void sumRows(float[] x, int off, int rows, int w, float[] acc) {
        System.arraycopy(x, off, acc, 0, w);
        int bound = SPECIES.loopBound(w);
        for (int r = 1; r < rows; r++) {
            int rowOff = off + r * w;
            int j = 0;
            for (; j < bound; j += SPECIES.length()) {
                FloatVector.fromArray(SPECIES, acc, j)
                        .add(FloatVector.fromArray(SPECIES, x, rowOff + j))
                        .intoArray(acc, j);
            }
            for (; j < w; j++) {
                acc[j] += x[rowOff + j];
            }
        }
    }

    private static float sum(float[] x, int off, int len) {
        FloatVector acc = FloatVector.zero(SPECIES);
        int bound = SPECIES.loopBound(len);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            acc = acc.add(FloatVector.fromArray(SPECIES, x, off + i));
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) {
            s += x[off + i];
        }
        return s;
    }

    // ---- plumbing --------------------------------------------------------------------------------------

    private static void forPlanes(PoolGeometry g, IntConsumer body) {
        int planes = g.n() * g.c();
        int work = Math.max(g.h() * g.w(), g.outH() * g.outW() * g.kh() * g.kw());
        Parallel.forRange(planes, Math.max(1, MIN_PARALLEL_WORK / work), (from, to) -> {
            for (int p = from; p < to; p++) {
                body.accept(p);
            }
        });
    }

    private static void checkPool(String op, PoolGeometry g, int inLen, int outLen) {
        if (inLen < g.inputSize() || outLen < g.outputSize()) {
            throw new IllegalArgumentException(op + ": input [" + g.n() + ", " + g.c() + ", " + g.h() + ", " + g.w()
                    + "] needs " + g.inputSize() + " elements and output [" + g.n() + ", " + g.c() + ", " + g.outH()
                    + ", " + g.outW() + "] needs " + g.outputSize() + ", got arrays of " + inLen + " and " + outLen);
        }
    }

    private static void checkGlobal(String op, int n, int c, int hw, int inLen, int outLen) {
        if (n < 1 || c < 1 || hw < 1 || inLen < n * c * hw || outLen < n * c) {
            throw new IllegalArgumentException(op + ": input [" + n + ", " + c + ", " + hw + "] needs " + n * c * hw
                    + " elements and output [" + n + ", " + c + "] needs " + n * c + ", got arrays of " + inLen
                    + " and " + outLen);
        }
    }
}
