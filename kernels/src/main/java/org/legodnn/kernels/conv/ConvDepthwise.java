package org.legodnn.kernels.conv;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.legodnn.kernels.Parallel;
import org.legodnn.kernels.StridedCopy;

/**
 * Direct convolution for one input channel per group (depthwise, as in MobileNet, and any convolution of
 * a single-channel input), where im2col plus a matrix product would copy {@code kh·kw} floats for every
 * {@code kh·kw} multiply-adds and so be all copying. Output channel {@code oc} reads input channel
 * {@code oc / coutPerGroup} only.
 *
 * <p>The trick that makes every stride, padding and dilation one simple SIMD loop: each input plane is
 * first copied, zero-padded to {@code (h + 2·padH) × (w + 2·padW)}, into {@code strideH} <em>row-phase
 * planes</em>, phase {@code a} holding padded rows {@code a, a+strideH, ...}. Output {@code (oy, ox)} is then
 * given the flat index {@code p = oy·qw + ox·strideW} ({@code qw} the padded width), and tap {@code (i, j)}
 * reads the phase planes at {@code tapOffset(i, j) + p}: a fixed offset per tap. So the output plane is a sum
 * of {@code kh·kw} shifted copies of the phase planes, and every loop below runs over the flat index, in
 * vectors, whatever the plane's width. The flat positions that are no output (the padding columns and, with
 * a column stride, the columns in between) are computed and thrown away (forward) or held at zero
 * (backward): with stride 2 that doubles the arithmetic, which costs less than gathering every second
 * column would.
 *
 * <p>The forward pass of a 3×3, stride-1, padding-1 kernel (MobileNet's stride-1 depthwise layers) runs
 * {@link ConvDepthwise3x3} instead, which needs no copy per row.
 */
final class ConvDepthwise {

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private ConvDepthwise() {
    }

    /** Whether {@code g} takes this path. */
    static boolean applies(ConvGeometry g) {
        return g.cinPerGroup() == 1;
    }

    /**
     * The phase-plane layout of one geometry: {@code strideH} planes of {@code qh × qw} floats, and per tap
     * its offset into them. The flat loops run over {@code spanV}, the span rounded up to whole vectors, so
     * they need no scalar tail; the {@link #SLACK} zeros after the phase planes absorb their reads and
     * writes past the end.
     */
    private record Phases(int qh, int qw, int size, int span, int spanV, int[] tapOffset) {

        static Phases of(ConvGeometry g) {
            int sH = g.strideH();
            int qh = (g.h() + 2 * g.padH() + sH - 1) / sH;
            int qw = g.w() + 2 * g.padW();
            int[] off = new int[g.kh() * g.kw()];
            for (int i = 0; i < g.kh(); i++) {
                int dy = i * g.dilationH();
                for (int j = 0; j < g.kw(); j++) {
                    off[i * g.kw() + j] = (dy % sH) * qh * qw + (dy / sH) * qw + j * g.dilationW();
                }
            }
            // Output (oy, ox) lives at oy·qw + ox·strideW; the last one is (outH−1, outW−1).
            int span = (g.outH() - 1) * qw + (g.outW() - 1) * g.strideW() + 1;
            int vl = SPECIES.length();
            return new Phases(qh, qw, sH * qh * qw, span, (span + vl - 1) / vl * vl, off);
        }

        /** Where the flat plane starts in the scratch buffer: after the phase planes and their slack. */
        int flat() {
            return size + SLACK;
        }

        /** This thread's scratch buffer for phase planes, slack and one flat plane, with the slack zeroed. */
        float[] scratch() {
            float[] buf = ConvScratch.COLUMNS.take(size + SLACK + spanV);
            Arrays.fill(buf, size, size + SLACK, 0f);
            return buf;
        }
    }

    /** Zeros after the phase planes: the flat loops overrun the span by less than one vector. */
    private static final int SLACK = SPECIES.length();

    static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y) {
        forward(g, x, w, bias, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, y);
    }

    /** {@code y = clamp(conv2d(x, w) + bias, lo, hi)}: the inference epilogue applied before the output is stored. */
    static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float lo, float hi, float[] y) {
        if (ConvDepthwise3x3.suits(g)) {
            ConvDepthwise3x3.forward(g, x, w, bias, lo, hi, y);
            return;
        }
        Phases ph = Phases.of(g);
        int cin = g.cin(), mult = g.coutPerGroup(), taps = g.kh() * g.kw();
        int hw = g.h() * g.w(), ohw = g.outH() * g.outW();
        int split = splitOutputs(g.n() * cin, mult);
        int perUnit = (mult + split - 1) / split;
        Parallel.forRange(g.n() * cin * split, minUnits(ph.span * taps * perUnit), (from, to) -> {
            float[] buf = ph.scratch();
            int out = ph.flat();
            for (int u = from; u < to; u++) {
                int p = u / split, part = u - p * split;
                int img = p / cin, ic = p - img * cin;
                int oc0 = ic * mult + part * perUnit, oc1 = Math.min((ic + 1) * mult, oc0 + perUnit);
                if (oc0 >= oc1) {
                    continue;
                }
                toPhases(g, ph, x, p * hw, buf);
                for (int oc = oc0; oc < oc1; oc++) {
                    float b = bias == null ? 0f : bias[oc];
                    if (taps == 9) {
                        forwardFlat9(ph, buf, w, oc * taps, b, lo, hi, buf, out);
                    } else {
                        forwardFlat(ph, buf, w, oc * taps, taps, b, lo, hi, buf, out);
                    }
                    fromFlat(g, ph, buf, out, y, (img * g.cout() + oc) * ohw);
                }
            }
        });
    }

    static void backwardInput(ConvGeometry g, float[] gy, float[] w, float[] gx) {
        Phases ph = Phases.of(g);
        int cin = g.cin(), mult = g.coutPerGroup(), taps = g.kh() * g.kw();
        int hw = g.h() * g.w(), ohw = g.outH() * g.outW();
        Parallel.forRange(g.n() * cin, minUnits(ph.span * taps * mult), (from, to) -> {
            float[] buf = ph.scratch();
            int flat = ph.flat();
            for (int p = from; p < to; p++) {
                int img = p / cin, ic = p - img * cin;
                Arrays.fill(buf, 0, ph.size, 0f);
                for (int oc = ic * mult; oc < (ic + 1) * mult; oc++) {
                    toFlat(g, ph, gy, (img * g.cout() + oc) * ohw, buf, flat);
                    for (int t = 0; t < taps; t++) {
                        axpy(ph.spanV, w[oc * taps + t], buf, flat, buf, ph.tapOffset[t]);
                    }
                }
                fromPhases(g, ph, buf, gx, p * hw);
            }
        });
    }

    static void backwardWeight(ConvGeometry g, float[] x, float[] gy, float[] gw) {
        Phases ph = Phases.of(g);
        int cin = g.cin(), mult = g.coutPerGroup(), taps = g.kh() * g.kw();
        int hw = g.h() * g.w(), ohw = g.outH() * g.outW();
        int split = splitOutputs(cin, mult);
        int perUnit = (mult + split - 1) / split;
        Parallel.forRange(cin * split, minUnits(g.n() * ph.span * taps * perUnit), (from, to) -> {
            float[] buf = ph.scratch();
            int flat = ph.flat();
            for (int u = from; u < to; u++) {
                int ic = u / split, part = u - ic * split;
                int oc0 = ic * mult + part * perUnit, oc1 = Math.min((ic + 1) * mult, oc0 + perUnit);
                if (oc0 >= oc1) {
                    continue;
                }
                Arrays.fill(gw, oc0 * taps, oc1 * taps, 0f);
                for (int img = 0; img < g.n(); img++) {
                    toPhases(g, ph, x, (img * cin + ic) * hw, buf);
                    for (int oc = oc0; oc < oc1; oc++) {
                        toFlat(g, ph, gy, (img * g.cout() + oc) * ohw, buf, flat);
                        for (int t = 0; t < taps; t++) {
                            gw[oc * taps + t] += dot(ph.spanV, buf, flat, buf, ph.tapOffset[t]);
                        }
                    }
                }
            }
        });
    }

    /**
     * Into how many parts to split each input channel's output channels, so that a few input planes with
     * many outputs each (a single-channel input) still give every thread work. Each part copies the
     * input plane into phase planes again, so planes are not split when there are enough of them.
     */
    private static int splitOutputs(int planes, int mult) {
        int want = 2 * Parallel.threads();
        return planes >= want ? 1 : Math.min(mult, (want + planes - 1) / planes);
    }

    private static int minUnits(int flopsPerUnit) {
        return Math.max(1, (1 << 14) / Math.max(1, flopsPerUnit));
    }

    /** Copies the input plane at {@code xOff} into the zero-padded phase planes at the start of {@code buf}. */
    private static void toPhases(ConvGeometry g, Phases ph, float[] x, int xOff, float[] buf) {
        int sH = g.strideH(), h = g.h(), w = g.w(), pH = g.padH(), pW = g.padW();
        int qh = ph.qh, qw = ph.qw;
        for (int a = 0; a < sH; a++) {
            for (int qy = 0; qy < qh; qy++) {
                int dst = (a * qh + qy) * qw;
                int iy = qy * sH + a - pH;
                if (iy < 0 || iy >= h) {
                    Arrays.fill(buf, dst, dst + qw, 0f);
                    continue;
                }
                // The padding is a column or two: plain loops, as a call to Arrays.fill costs more.
                for (int px = 0; px < pW; px++) {
                    buf[dst + px] = 0f;
                    buf[dst + pW + w + px] = 0f;
                }
                System.arraycopy(x, xOff + iy * w, buf, dst + pW, w);
            }
        }
    }

    /** The adjoint of {@link #toPhases}: writes the input-plane part of the phase planes to {@code x}. */
    private static void fromPhases(ConvGeometry g, Phases ph, float[] buf, float[] x, int xOff) {
        int sH = g.strideH(), h = g.h(), w = g.w(), pH = g.padH(), pW = g.padW();
        int qh = ph.qh, qw = ph.qw;
        for (int iy = 0; iy < h; iy++) {
            int py = iy + pH;
            System.arraycopy(buf, ((py % sH) * qh + py / sH) * qw + pW, x, xOff + iy * w, w);
        }
    }

    /**
     * Places an output(-gradient) plane at the flat positions {@code oy·qw + ox·strideW} from {@code off},
     * zeroing every other position up to {@code spanV}, so that those contribute nothing.
     */
    private static void toFlat(ConvGeometry g, Phases ph, float[] y, int yOff, float[] buf, int off) {
        int oh = g.outH(), ow = g.outW(), sW = g.strideW(), qw = ph.qw;
        if (sW == 1) {
            for (int oy = 0; oy < oh; oy++) {
                int dst = off + oy * qw;
                System.arraycopy(y, yOff + oy * ow, buf, dst, ow);
                Arrays.fill(buf, dst + ow, oy < oh - 1 ? dst + qw : off + ph.spanV, 0f);
            }
            return;
        }
        Arrays.fill(buf, off, off + ph.spanV, 0f);
        for (int oy = 0; oy < oh; oy++) {
            int dst = off + oy * qw;
            int src = yOff + oy * ow;
            for (int ox = 0; ox < ow; ox++) {
                buf[dst + ox * sW] = y[src + ox];
            }
        }
    }

    /** The inverse of {@link #toFlat}: takes the output plane from the flat positions into {@code y}. */
    private static void fromFlat(ConvGeometry g, Phases ph, float[] buf, int off, float[] y, int yOff) {
        StridedCopy.everyNthRows(buf, off, ph.qw, g.strideW(), y, yOff, g.outW(), g.outW(), g.outH());
    }

    /**
     * {@code out[p] = clamp(bias + Σ_t w[t]·phases[tapOffset[t] + p], lo, hi)} for the flat output indices
     * {@code p < spanV}.
     * Four vectors per step keep four independent chains of fused multiply-adds in flight (two measured
     * 1.5x slower with 256-bit vectors: each chain waits on its previous multiply-add).
     */
    private static void forwardFlat(Phases ph, float[] phases, float[] w, int wOff, int taps, float bias,
                                    float lo, float hi, float[] out, int outOff) {
        int spanV = ph.spanV;
        int[] tapOffset = ph.tapOffset;
        int vl = SPECIES.length();
        int p = 0;
        FloatVector vb = FloatVector.broadcast(SPECIES, bias);
        FloatVector vlo = FloatVector.broadcast(SPECIES, lo);
        FloatVector vhi = FloatVector.broadcast(SPECIES, hi);
        for (int end = spanV - 4 * vl; p <= end; p += 4 * vl) {
            FloatVector a0 = vb;
            FloatVector a1 = vb;
            FloatVector a2 = vb;
            FloatVector a3 = vb;
            for (int t = 0; t < taps; t++) {
                FloatVector wt = FloatVector.broadcast(SPECIES, w[wOff + t]);
                int src = tapOffset[t] + p;
                a0 = FloatVector.fromArray(SPECIES, phases, src).fma(wt, a0);
                a1 = FloatVector.fromArray(SPECIES, phases, src + vl).fma(wt, a1);
                a2 = FloatVector.fromArray(SPECIES, phases, src + 2 * vl).fma(wt, a2);
                a3 = FloatVector.fromArray(SPECIES, phases, src + 3 * vl).fma(wt, a3);
            }
            a0.max(vlo).min(vhi).intoArray(out, outOff + p);
            a1.max(vlo).min(vhi).intoArray(out, outOff + p + vl);
            a2.max(vlo).min(vhi).intoArray(out, outOff + p + 2 * vl);
            a3.max(vlo).min(vhi).intoArray(out, outOff + p + 3 * vl);
        }
        for (; p < spanV; p += vl) {
            FloatVector a0 = vb;
            for (int t = 0; t < taps; t++) {
                a0 = FloatVector.fromArray(SPECIES, phases, tapOffset[t] + p)
                        .fma(FloatVector.broadcast(SPECIES, w[wOff + t]), a0);
            }
            a0.max(vlo).min(vhi).intoArray(out, outOff + p);
        }
    }

    /**
     * {@link #forwardFlat} for nine taps (every 3×3 kernel, MobileNet's included), with the taps' weights and
     * offsets held in registers: the general loop reloads both for every tap of every step and checks each
     * load's bounds through a table index, and ran at a quarter of this one's speed on 56×56 planes.
     */
    private static void forwardFlat9(Phases ph, float[] phases, float[] w, int wOff, float bias, float lo, float hi,
                                     float[] out, int outOff) {
        int spanV = ph.spanV;
        int[] o = ph.tapOffset;
        int o0 = o[0], o1 = o[1], o2 = o[2], o3 = o[3], o4 = o[4], o5 = o[5], o6 = o[6], o7 = o[7], o8 = o[8];
        FloatVector w0 = FloatVector.broadcast(SPECIES, w[wOff]);
        FloatVector w1 = FloatVector.broadcast(SPECIES, w[wOff + 1]);
        FloatVector w2 = FloatVector.broadcast(SPECIES, w[wOff + 2]);
        FloatVector w3 = FloatVector.broadcast(SPECIES, w[wOff + 3]);
        FloatVector w4 = FloatVector.broadcast(SPECIES, w[wOff + 4]);
        FloatVector w5 = FloatVector.broadcast(SPECIES, w[wOff + 5]);
        FloatVector w6 = FloatVector.broadcast(SPECIES, w[wOff + 6]);
        FloatVector w7 = FloatVector.broadcast(SPECIES, w[wOff + 7]);
        FloatVector w8 = FloatVector.broadcast(SPECIES, w[wOff + 8]);
        FloatVector vb = FloatVector.broadcast(SPECIES, bias);
        FloatVector vlo = FloatVector.broadcast(SPECIES, lo);
        FloatVector vhi = FloatVector.broadcast(SPECIES, hi);
        for (int p = 0; p < spanV; p += SPECIES.length()) {
            FloatVector a = FloatVector.fromArray(SPECIES, phases, o0 + p).fma(w0, vb);
            a = FloatVector.fromArray(SPECIES, phases, o1 + p).fma(w1, a);
            a = FloatVector.fromArray(SPECIES, phases, o2 + p).fma(w2, a);
            FloatVector b = FloatVector.fromArray(SPECIES, phases, o3 + p).mul(w3);
            b = FloatVector.fromArray(SPECIES, phases, o4 + p).fma(w4, b);
            b = FloatVector.fromArray(SPECIES, phases, o5 + p).fma(w5, b);
            FloatVector c = FloatVector.fromArray(SPECIES, phases, o6 + p).mul(w6);
            c = FloatVector.fromArray(SPECIES, phases, o7 + p).fma(w7, c);
            c = FloatVector.fromArray(SPECIES, phases, o8 + p).fma(w8, c);
            a.add(b).add(c).max(vlo).min(vhi).intoArray(out, outOff + p);
        }
    }

    /** {@code b[bOff + i] += alpha·a[aOff + i]} for {@code i < len}, a whole number of vectors. */
    private static void axpy(int len, float alpha, float[] a, int aOff, float[] b, int bOff) {
        FloatVector va = FloatVector.broadcast(SPECIES, alpha);
        for (int i = 0; i < len; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, a, aOff + i)
                    .fma(va, FloatVector.fromArray(SPECIES, b, bOff + i))
                    .intoArray(b, bOff + i);
        }
    }

    /** {@code Σ a[aOff + i]·b[bOff + i]} for {@code i < len}, a whole number of vectors. */
    private static float dot(int len, float[] a, int aOff, float[] b, int bOff) {
        FloatVector acc = FloatVector.zero(SPECIES);
        for (int i = 0; i < len; i += SPECIES.length()) {
            acc = FloatVector.fromArray(SPECIES, a, aOff + i).fma(FloatVector.fromArray(SPECIES, b, bOff + i), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }
}
