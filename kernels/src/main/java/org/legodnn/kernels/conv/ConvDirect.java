package org.legodnn.kernels.conv;

import static org.legodnn.kernels.conv.ConvDirectKernel.L;
import static org.legodnn.kernels.conv.ConvDirectKernel.TILE_COLUMNS;
import static org.legodnn.kernels.gemm.GemmMicroKernel.MR;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import org.legodnn.kernels.Parallel;
import org.legodnn.kernels.gemm.PackedMatrix;

/**
 * Stride-1 convolution without a column matrix: each image is copied once into zero-padded planes, and the
 * micro-kernel ({@link ConvDirectKernel}) reads every tap's inputs straight from them. im2col would write, and
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
     * Whether {@code g} runs here: stride 1, a kernel of more than one tap, more than one input channel per group,
     * and few output channels. The column matrix costs the same copies per value whatever the layer, and each of
     * its values then feeds one multiply-add per output channel, so im2col hurts thin layers most. Measured on one
     * AVX-512 core (JDK 17, 3×3, batch 1, this path's time over im2col + packed GEMM's): 16 channels of 32×32 0.46,
     * 32 of 16×16 0.66, 64 of 8×8 1.23, 64 of 56×56 1.18, 128 of 28×28 1.18, 512 of 7×7 1.31.
     */
    static boolean suits(ConvGeometry g) {
        return g.strideH() == 1 && g.strideW() == 1 && g.kh() * g.kw() > 1 && g.cinPerGroup() > 1
                && g.coutPerGroup() <= MAX_OUT_CHANNELS;
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

    /** Where one call's numbers live: the padded planes, the runs of output positions, the taps' offsets. */
    static final class Plan {
        final ConvGeometry g;
        final int hp;
        final int wp;
        final int plane;
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
            hp = g.h() + 2 * g.padH();
            wp = g.w() + 2 * g.padW();
            plane = hp * wp;
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
                    for (int kx = 0; kx < kw; kx++, p++) {
                        tab[p] = ic * plane + ky * g.dilationH() * wp + kx * g.dilationW();
                    }
                }
            }
            int lastStart = alongRows ? (oh - 1) * wp + (runsPerRow - 1) * L : (runs - 1) * L;
            srcSize = Math.max(cing * plane, tab[tab.length - 1] + lastStart + L);
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
                padPlane(x, xOff + c * g.h() * g.w(), src, c * plane, plane);
            }
            if (to == g.cinPerGroup()) {
                Arrays.fill(src, to * plane, srcSize, 0f);
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
