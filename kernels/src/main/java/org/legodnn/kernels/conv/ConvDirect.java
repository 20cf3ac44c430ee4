package org.legodnn.kernels.conv;

import static org.legodnn.kernels.conv.ConvDirectKernel.L;
import static org.legodnn.kernels.conv.ConvDirectKernel.TILE_COLUMNS;
import static org.legodnn.kernels.gemm.GemmMicroKernel.MR;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import org.legodnn.kernels.Parallel;
import org.legodnn.kernels.StridedCopy;
import org.legodnn.kernels.gemm.PackedMatrix;

/**
 * Convolution without a column matrix: each image is copied once into zero-padded planes (phase planes with a
 * stride, see {@link Plan}), and the micro-kernel ({@link ConvDirectKernel}) reads every tap's inputs straight
 * from them. im2col would write, and
 * GEMM packing would copy again, {@code kh·kw} floats per input value; for the thin layers of small networks
 * (16 channels of 32×32 in a CIFAR ResNet) those copies cost more than the arithmetic.
 *
 * <p>Output positions are taken in runs of one vector ({@link Plan}): along each output row when rows are at
 * least a vector long (a run never straddles two rows, so results store as vectors), otherwise along the padded
 * rows read as one long line, where a run covers parts of several rows and the lanes that fall in the padding
 * are computed and dropped. Pairs of runs times {@code MR} output channels make the register tile; its result
 * goes through a small buffer into the output with the epilogue (bias, residual, clamp).
 */
final class ConvDirect {

    private ConvDirect() {
    }

    /** The most output channels per group for which the direct path beats im2col + GEMM (see {@link #suits}). */
    static final int MAX_OUT_CHANNELS = 32;

    /**
     * Whether {@code g} runs here: at stride 1, a kernel of more than one tap, more than one input channel per
     * group, and few output channels (with a stride, {@link #suitsStrided}). The column matrix costs the same copies per value whatever the layer, and each of
     * its values then feeds one multiply-add per output channel, so im2col hurts thin layers most. Measured on one
     * AVX-512 core (JDK 17, 3×3, batch 1, this path's time over im2col + packed GEMM's): 16 channels of 32×32 0.46,
     * 32 of 16×16 0.66, 64 of 8×8 1.23, 64 of 56×56 1.18, 128 of 28×28 1.18, 512 of 7×7 1.31.
     */
    static boolean suits(ConvGeometry g) {
        if (g.strideH() > 1 || g.strideW() > 1) {
            return suitsStrided(g);
        }
        return g.kh() * g.kw() > 1 && g.cinPerGroup() > 1 && g.coutPerGroup() <= MAX_OUT_CHANNELS;
    }

    /** Input channels per group up to which a strided convolution runs here whatever its output channels: a stem. */
    static final int MAX_STEM_CHANNELS = 4;

    /**
     * Whether a strided {@code g} runs here, from its input's phase planes ({@link Plan}): a kernel of more than
     * one tap, more than one input channel per group, and at most {@link #MAX_OUT_CHANNELS} output channels per
     * group, or at most {@link #MAX_STEM_CHANNELS} input channels (a network's first layer, whose column matrix
     * is all short copies: {@code cin·kh·kw} rows of one output row each). Measured on one AVX-512 core (JDK 17,
     * this path's time over phases + im2col + packed GEMM's, both in one JVM): 16→32 3×3/2 on 32×32 (batch 16)
     * 0.80, ResNet-18's stem 3→64 7×7/2 on 224×224 0.84, MobileNetV2's 3→32 3×3/2 0.95; and where it is not
     * taken: 32→64 3×3/2 on 16×16 1.14, 64→128 on 56×56 1.24, 128→256 on 28×28 2.1, 1×1/2 16→32 1.06.
     */
    static boolean suitsStrided(ConvGeometry g) {
        return g.kh() * g.kw() > 1 && g.cinPerGroup() > 1
                && (g.coutPerGroup() <= MAX_OUT_CHANNELS || g.cinPerGroup() <= MAX_STEM_CHANNELS);
    }

    /**
     * {@code y = clamp(conv2d(x, w) + bias + residual, lo, hi)} with {@code w} packed per group ({@code packed[grp]},
     * {@code coutPerGroup × cinPerGroup·kh·kw}); {@code bias} and {@code residual} may be null.
     */
    static void forward(ConvGeometry g, PackedMatrix[] packed, float[] x, float[] bias, float[] residual, float lo,
                        float hi, float[] y) {
        Plan plan = new Plan(g);
        if (ConvGemm.imageParallel(g.n())) {
            Parallel.forEach(g.n(), img -> {
                float[] src = ConvScratch.PADDED.take(plan.srcSize);
                float[] t = new float[MR * TILE_COLUMNS];
                for (int grp = 0; grp < g.groups(); grp++) {
                    plan.pad(x, (img * g.cin() + grp * g.cinPerGroup()) * g.h() * g.w(), src, 0, g.cinPerGroup());
                    plan.tiles(packed[grp], src, img, grp, bias, residual, lo, hi, y, 0, plan.pairs, t);
                }
            });
            return;
        }
        boolean parallel = Parallel.threads() > 1 && g.macs() / g.n() >= PackedConv.PARALLEL_MIN;
        for (int img = 0; img < g.n(); img++) {
            for (int grp = 0; grp < g.groups(); grp++) {
                float[] src = ConvScratch.PADDED.take(plan.srcSize);
                int xOff = (img * g.cin() + grp * g.cinPerGroup()) * g.h() * g.w();
                int i = img;
                int gr = grp;
                if (!parallel) {
                    plan.pad(x, xOff, src, 0, g.cinPerGroup());
                    plan.tiles(packed[grp], src, img, grp, bias, residual, lo, hi, y, 0, plan.pairs,
                            new float[MR * TILE_COLUMNS]);
                    continue;
                }
                Parallel.forRange(g.cinPerGroup(), 1, (from, to) -> plan.pad(x, xOff, src, from, to));
                Parallel.forRange(plan.pairs, 1, (from, to) -> plan.tiles(packed[gr], src, i, gr, bias, residual,
                        lo, hi, y, from, to, new float[MR * TILE_COLUMNS]));
            }
        }
    }

    /**
     * Where one call's numbers live: the padded planes, the runs of output positions, the taps' offsets.
     *
     * <p>With a stride {@code (sH, sW)} each padded input plane is split into {@code sH·sW} <em>phase planes</em>,
     * phase {@code (a, b)} holding padded rows {@code a, a+sH, ...} and of those the columns {@code b, b+sW, ...}.
     * Output {@code (oy, ox)} then sits at {@code oy·wp + ox} of the phase planes' rows, and tap {@code (ky, kx)}
     * reads phase {@code (ky·dH mod sH, kx·dW mod sW)} at a fixed offset from it: a strided convolution becomes the
     * stride-1 one of the kernel below over {@code sH·sW} times as many, smaller planes. Phases that no tap reads
     * (all but one for a 1×1 kernel) are zeroed rather than filled.
     */
    static final class Plan {
        final ConvGeometry g;
        /** Rows and columns of each (phase) plane, and its floats. */
        final int hp;
        final int wp;
        final int plane;
        /** Phase planes per input channel: {@code strideH·strideW}, 1 without a stride. */
        final int phases;
        /** Whether some tap reads phase {@code a·strideW + b}. */
        private final boolean[] read;
        final int oh;
        final int ow;
        /** Whether runs follow the output rows (else they follow the padded rows as one line). */
        final boolean alongRows;
        /** Runs of output positions and pairs of runs (one register tile each). */
        final int runs;
        final int pairs;
        /** Runs per output row when {@link #alongRows}. */
        final int runsPerRow;
        /** {@code tab[p]}: where tap {@code p = (ic·kh + ky)·kw + kx} reads, relative to its run's start. */
        final int[] tab;
        /** Floats of padded input, with the slack that the last run's dropped lanes read. */
        final int srcSize;
        /**
         * Floats per image and channel in {@link ConvDirectGrad}'s layout, a whole number of vectors: the padded plane,
         * and room for the output positions as one line along the padded rows read from the farthest tap.
         */
        final int slot;

        Plan(ConvGeometry g) {
            this.g = g;
            int sH = g.strideH(), sW = g.strideW();
            hp = (g.h() + 2 * g.padH() + sH - 1) / sH;
            wp = (g.w() + 2 * g.padW() + sW - 1) / sW;
            plane = hp * wp;
            phases = sH * sW;
            read = new boolean[phases];
            oh = g.outH();
            ow = g.outW();
            runsPerRow = (ow + L - 1) / L;
            int positions = (oh - 1) * wp + ow;
            int lineRuns = (positions + L - 1) / L;
            // Fewer runs means fewer wasted lanes: along rows, the last run of each row is partly empty; along
            // the line, the padding columns between rows are computed and dropped.
            alongRows = (long) oh * runsPerRow <= lineRuns;
            runs = alongRows ? oh * runsPerRow : lineRuns;
            pairs = (runs + 1) / 2;
            int cing = g.cinPerGroup(), kh = g.kh(), kw = g.kw();
            tab = new int[cing * kh * kw];
            for (int ic = 0, p = 0; ic < cing; ic++) {
                for (int ky = 0; ky < kh; ky++) {
                    int dy = ky * g.dilationH();
                    for (int kx = 0; kx < kw; kx++, p++) {
                        int dx = kx * g.dilationW();
                        int phase = dy % sH * sW + dx % sW;
                        read[phase] = true;
                        tab[p] = (ic * phases + phase) * plane + dy / sH * wp + dx / sW;
                    }
                }
            }
            int lastStart = alongRows ? (oh - 1) * wp + (runsPerRow - 1) * L : (runs - 1) * L;
            int farthest = 0;
            for (int t : tab) {
                farthest = Math.max(farthest, t);
            }
            srcSize = Math.max(cing * phases * plane, farthest + lastStart + L);
            int farthestTap = tab[kh * kw - 1];
            slot = (Math.max(plane, lineRuns * L + farthestTap) + L - 1) / L * L;
        }

        /** The padded-line position where run {@code r} starts. */
        int start(int r) {
            if (!alongRows) {
                return r * L;
            }
            int oy = r / runsPerRow;
            return oy * wp + (r - oy * runsPerRow) * L;
        }

        /**
         * Copies channels {@code [from, to)} of one image and group into their zero-padded planes; the channel that
         * ends the group also zeroes the slack up to {@link #srcSize}.
         */
        void pad(float[] x, int xOff, float[] src, int from, int to) {
            for (int c = from; c < to; c++) {
                if (phases == 1) {
                    padPlane(x, xOff + c * g.h() * g.w(), src, c * plane, plane);
                } else {
                    phasePlanes(x, xOff + c * g.h() * g.w(), src, c * phases * plane);
                }
            }
            if (to == g.cinPerGroup()) {
                Arrays.fill(src, to * phases * plane, srcSize, 0f);
            }
        }

        /**
         * Splits the input plane at {@code x[xOff]}, zero-padded, into its phase planes at {@code dst[base ..]}
         * (phase {@code a·sW + b} at {@code base + (a·sW + b)·plane}). Phases no tap reads are zeroed, not copied:
         * only lanes that are computed and dropped read them, and zeros there cannot decay into subnormal numbers,
         * which slow every operation on them (see {@link ConvWinograd}'s padding lanes).
         */
        void phasePlanes(float[] x, int xOff, float[] dst, int base) {
            int sH = g.strideH(), sW = g.strideW(), h = g.h(), w = g.w(), pH = g.padH(), pW = g.padW();
            for (int a = 0; a < sH; a++) {
                for (int b = 0; b < sW; b++) {
                    int phase = a * sW + b;
                    if (!read[phase]) {
                        Arrays.fill(dst, base + phase * plane, base + (phase + 1) * plane, 0f);
                        continue;
                    }
                    // Phase column c is padded column c·sW + b, input column c·sW + b − pW: [c0, c1) are inside.
                    int c0 = Math.min(wp, Math.max(0, pW - b + sW - 1) / sW);
                    int c1 = Math.max(c0, Math.min(wp, (pW + w - b + sW - 1) / sW));
                    int ix0 = c0 * sW + b - pW;
                    for (int r = 0; r < hp; r++) {
                        int row = base + phase * plane + r * wp;
                        int iy = r * sH + a - pH;
                        if (iy < 0 || iy >= h || c0 == c1) {
                            Arrays.fill(dst, row, row + wp, 0f);
                            continue;
                        }
                        for (int c = 0; c < c0; c++) {
                            dst[row + c] = 0f;
                        }
                        StridedCopy.everyNth(x, xOff + iy * w + ix0, sW, dst, row + c0, c1 - c0);
                        for (int c = c1; c < wp; c++) {
                            dst[row + c] = 0f;
                        }
                    }
                }
            }
        }

        /**
         * Copies the input plane at {@code x[xOff]} into {@code dst[base ..]} with its zero border, and zeros up to
         * {@code base + slot}.
         */
        void padPlane(float[] x, int xOff, float[] dst, int base, int slot) {
            int h = g.h(), w = g.w(), ph = g.padH(), pw = g.padW();
            Arrays.fill(dst, base, base + ph * wp, 0f);
            for (int iy = 0; iy < h; iy++) {
                int row = base + (iy + ph) * wp;
                // The side padding is a column or two: plain loops, as a call to Arrays.fill costs more.
                for (int px = 0; px < pw; px++) {
                    dst[row + px] = 0f;
                    dst[row + pw + w + px] = 0f;
                }
                System.arraycopy(x, xOff + iy * w, dst, row + pw, w);
            }
            Arrays.fill(dst, base + (ph + h) * wp, base + slot, 0f);
        }

        /** Tile pairs {@code [from, to)} of every output channel of group {@code grp} of image {@code img}. */
        void tiles(PackedMatrix w, float[] src, int img, int grp, float[] bias, float[] residual, float lo, float hi,
                   float[] y, int from, int to, float[] t) {
            int coutg = g.coutPerGroup();
            int k = w.cols();
            int kc0 = w.blockDepth();
            int ohw = oh * ow;
            int yBase = (img * g.cout() + grp * coutg) * ohw;
            float[] ap = w.data();
            for (int pair = from; pair < to; pair++) {
                int ra = 2 * pair;
                int rb = Math.min(ra + 1, runs - 1);
                int qa = start(ra);
                int qb = start(rb);
                for (int panel = 0; panel < w.panels(); panel++) {
                    for (int b = 0, p0 = 0; p0 < k; b++, p0 += kc0) {
                        int kc = Math.min(kc0, k - p0);
                        ConvDirectKernel.kernel(kc, ap, w.blockOffset(b) + panel * MR * kc, src, tab, p0, qa, qb,
                                t, b > 0);
                    }
                    int rows = Math.min(MR, coutg - panel * MR);
                    for (int r = 0; r < rows; r++) {
                        int oc = panel * MR + r;
                        float add = bias == null ? 0f : bias[grp * coutg + oc];
                        int yOff = yBase + oc * ohw;
                        store(t, r * TILE_COLUMNS, qa, add, residual, lo, hi, y, yOff);
                        if (rb != ra) {
                            store(t, r * TILE_COLUMNS + L, qb, add, residual, lo, hi, y, yOff);
                        }
                    }
                }
            }
        }

        /**
         * Writes the run starting at padded-line position {@code q} (values {@code t[tOff .. tOff+L)}) into the
         * output plane at {@code yOff}: the lanes that are output positions, plus {@code add} and the residual,
         * clamped.
         */
        private void store(float[] t, int tOff, int q, float add, float[] residual, float lo, float hi, float[] y,
                           int yOff) {
            int end = q + L;
            int oy0 = q / wp;
            if (end <= oy0 * wp + ow && oy0 < oh) {
                // The whole run is output positions of one row: one vector.
                int d = yOff + oy0 * ow + q - oy0 * wp;
                FloatVector v = FloatVector.fromArray(ConvDirectKernel.SPECIES, t, tOff).add(add);
                if (residual != null) {
                    v = v.add(FloatVector.fromArray(ConvDirectKernel.SPECIES, residual, d));
                }
                if (lo != Float.NEGATIVE_INFINITY) {
                    v = v.max(lo);
                }
                if (hi != Float.POSITIVE_INFINITY) {
                    v = v.min(hi);
                }
                v.intoArray(y, d);
                return;
            }
            for (int oy = q / wp, rowStart = oy * wp; rowStart < end && oy < oh; oy++, rowStart += wp) {
                int from = Math.max(q, rowStart);
                int to = Math.min(end, rowStart + ow);
                int d = yOff + oy * ow - rowStart;
                int s = tOff - q;
                for (int qq = from; qq < to; qq++) {
                    float v = t[s + qq] + add;
                    if (residual != null) {
                        v += residual[d + qq];
                    }
                    y[d + qq] = Math.min(Math.max(v, lo), hi);
                }
            }
        }
    }
}
