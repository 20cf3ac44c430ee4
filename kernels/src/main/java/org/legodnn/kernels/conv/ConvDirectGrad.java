package org.legodnn.kernels.conv;

import static org.legodnn.kernels.conv.ConvDirectKernel.DOT_ROWS;
import static org.legodnn.kernels.conv.ConvDirectKernel.DOT_TAPS;

import java.util.Arrays;
import org.legodnn.kernels.Parallel;

/**
 * The weight gradient of a stride-1 convolution without a column matrix, the training step's counterpart of
 * {@link ConvDirect}: {@code gw[oc, tap] = Σ_images Σ_positions gy[oc, position] · x[tap's input at position]} is a
 * dot product along the output positions, and with the input zero-padded and the output gradient laid out on the
 * same padded rows (zeros where the padding columns are), every tap's inputs for a run of positions are a run of
 * consecutive floats. {@link ConvDirectKernel#dot} keeps a tile of output channels × three taps in registers over
 * a chunk of images, so the column matrix that im2col would write (and GEMM packing copy again) never exists.
 *
 * <p>Images are taken in chunks whose padded copies fit in the core's L2 cache ({@link #CHUNK_FLOATS}). When the
 * batch spreads evenly over the threads, each thread sums its own images into its own buffer and the buffers are
 * added at the end ({@link ConvGemm#overImages}); otherwise the tiles of each chunk are spread.
 */
final class ConvDirectGrad {

    /** Floats of padded inputs and output gradients per chunk of images (512 KB): half an L2 cache or less. */
    static final int CHUNK_FLOATS = 1 << 17;

    private ConvDirectGrad() {
    }

    /**
     * The most output channels per group whose weight gradient runs here: twice {@link ConvDirect#MAX_OUT_CHANNELS},
     * as the column matrix's alternative needs a transposed packing of it besides (CIFAR ResNet-20's training step at
     * batch 128, its 64-channel 8×8 layers here: 432.7 -> 420.7 ms on one AVX-512 core, both in one JVM).
     */
    static final int MAX_OUT_CHANNELS = 64;

    /** Whether {@code g}'s weight gradient runs here: stride 1, more than one tap and one input channel per group. */
    static boolean suits(ConvGeometry g) {
        return g.strideH() == 1 && g.strideW() == 1 && g.kh() * g.kw() > 1 && g.cinPerGroup() > 1
                && g.coutPerGroup() <= MAX_OUT_CHANNELS;
    }

    /** The gradient of the weight of a convolution that {@link #suits}, overwritten into {@code gw}. */
    static void backwardWeight(ConvGeometry g, float[] x, float[] gy, float[] gw) {
        ConvDirect.Plan plan = new ConvDirect.Plan(g);
        ConvGemm.overImages(g, gw, true,
                (dst, off, from, to, spread) -> images(plan, x, gy, dst, off, from, to, spread));
    }

    /**
     * Sums the weight gradient of images {@code [from, to)} into {@code dst} at {@code off} (overwritten), chunk by
     * chunk; with {@code spread} each chunk's tiles are shared among the threads.
     *
     * <p>In a chunk, channel {@code c} of image {@code i} sits at {@code (c·imgs + i)·slot} of the padded inputs and
     * output channel {@code oc} of image {@code i} at {@code (oc·imgs + i)·slot} of the output gradients, so that one
     * tap's or one channel's values for every image of the chunk are one run of floats, and a single loop over it
     * (bounds checks hoisted, nothing live across an inner loop's exit) does the whole chunk.
     */
    private static void images(ConvDirect.Plan plan, float[] x, float[] gy, float[] dst, int off, int from, int to,
                               boolean spread) {
        ConvGeometry g = plan.g;
        int cing = g.cinPerGroup(), coutg = g.coutPerGroup(), taps = g.kh() * g.kw(), k = cing * taps;
        int slot = plan.slot;
        int rowsPadded = (coutg + DOT_ROWS - 1) / DOT_ROWS * DOT_ROWS;
        int chunk = Math.max(1, Math.min(to - from, CHUNK_FLOATS / ((cing + rowsPadded) * slot)));
        int tapTiles = (k + DOT_TAPS - 1) / DOT_TAPS;
        int tiles = rowsPadded / DOT_ROWS * tapTiles;
        // The farthest tap reads past the last slot by at most one slot.
        float[] src = ConvScratch.PADDED.take((cing * chunk + 1) * slot);
        float[] lines = ConvScratch.GRADIENT_LINES.take(rowsPadded * chunk * slot);
        Arrays.fill(dst, off, off + g.weightSize(), 0f);
        for (int grp = 0; grp < g.groups(); grp++) {
            int gwBase = off + grp * coutg * k;
            for (int i0 = from; i0 < to; i0 += chunk) {
                int imgs = Math.min(chunk, to - i0);
                int run = imgs * slot;
                for (int i = 0; i < imgs; i++) {
                    int img = i0 + i;
                    int xOff = (img * g.cin() + grp * cing) * g.h() * g.w();
                    for (int c = 0; c < cing; c++) {
                        plan.padPlane(x, xOff + c * g.h() * g.w(), src, c * run + i * slot, slot);
                    }
                    lineUp(plan, gy, (img * g.cout() + grp * coutg) * plan.oh * plan.ow, coutg, lines, i * slot, run);
                }
                Arrays.fill(src, cing * run, cing * run + slot, 0f);
                for (int oc = coutg; oc < rowsPadded; oc++) {
                    Arrays.fill(lines, oc * run, (oc + 1) * run, 0f);
                }
                Parallel.RangeBody body = (t0, t1) -> {
                    float[] out = new float[DOT_ROWS * DOT_TAPS];
                    for (int t = t0; t < t1; t++) {
                        int r0 = t / tapTiles * DOT_ROWS;
                        int j0 = t % tapTiles * DOT_TAPS;
                        Arrays.fill(out, 0f);
                        ConvDirectKernel.dot(lines, r0 * run, run, src, tapOffset(plan, j0, taps, run),
                                tapOffset(plan, Math.min(j0 + 1, k - 1), taps, run),
                                tapOffset(plan, Math.min(j0 + 2, k - 1), taps, run), run, out);
                        for (int r = 0; r < DOT_ROWS && r0 + r < coutg; r++) {
                            for (int c = 0; c < DOT_TAPS && j0 + c < k; c++) {
                                dst[gwBase + (r0 + r) * k + j0 + c] += out[r * DOT_TAPS + c];
                            }
                        }
                    }
                };
                if (spread) {
                    Parallel.forRange(tiles, 1, body);
                } else {
                    body.run(0, tiles);
                }
            }
        }
    }

    /** Where tap {@code j = (ic·kh + ky)·kw + kx} starts reading in a chunk whose channels are {@code run} apart. */
    private static int tapOffset(ConvDirect.Plan plan, int j, int taps, int run) {
        return j / taps * run + plan.tab[j % taps];
    }

    /**
     * Lays one image's output gradient of {@code coutg} channels out on the padded rows, channel {@code oc} at
     * {@code lines[oc·run + at]}: zeros in the padding columns and up to the end of the slot.
     */
    private static void lineUp(ConvDirect.Plan plan, float[] gy, int gyOff, int coutg, float[] lines, int at, int run) {
        int oh = plan.oh, ow = plan.ow, wp = plan.wp;
        for (int oc = 0; oc < coutg; oc++) {
            int base = oc * run + at;
            for (int oy = 0; oy < oh; oy++) {
                int row = base + oy * wp;
                System.arraycopy(gy, gyOff + (oc * oh + oy) * ow, lines, row, ow);
                Arrays.fill(lines, row + ow, row + wp, 0f);
            }
            Arrays.fill(lines, base + oh * wp, base + plan.slot, 0f);
        }
    }
}
