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

    /** The gradient of the weight of a convolution that {@link ConvDirect#suits}, overwritten into {@code gw}. */
    static void backwardWeight(ConvGeometry g, float[] x, float[] gy, float[] gw) {
        ConvDirect.Plan plan = new ConvDirect.Plan(g);
        ConvGemm.overImages(g, gw, true, (dst, off, from, to, spread) -> images(plan, x, gy, dst, off, from, to, spread));
    }

    /**
     * Sums the weight gradient of images {@code [from, to)} into {@code dst} at {@code off} (overwritten), chunk by
     * chunk; with {@code spread} each chunk's tiles are shared among the threads.
     */
    private static void images(ConvDirect.Plan plan, float[] x, float[] gy, float[] dst, int off, int from, int to,
                               boolean spread) {
        ConvGeometry g = plan.g;
        int cing = g.cinPerGroup(), coutg = g.coutPerGroup(), k = plan.tab.length;
        int rowsPadded = (coutg + DOT_ROWS - 1) / DOT_ROWS * DOT_ROWS;
        int gyStride = rowsPadded * plan.line;
        int srcStride = plan.lineSrcSize;
        int chunk = Math.max(1, Math.min(to - from, CHUNK_FLOATS / (srcStride + gyStride)));
        int tapTiles = (k + DOT_TAPS - 1) / DOT_TAPS;
        int tiles = rowsPadded / DOT_ROWS * tapTiles;
        Arrays.fill(dst, off, off + g.weightSize(), 0f);
        for (int grp = 0; grp < g.groups(); grp++) {
            int gwBase = off + grp * coutg * k;
            for (int i0 = from; i0 < to; i0 += chunk) {
                int imgs = Math.min(chunk, to - i0);
                float[] src = ConvScratch.PADDED.take(imgs * srcStride);
                float[] lines = ConvScratch.GRADIENT_LINES.take(imgs * gyStride);
                for (int i = 0; i < imgs; i++) {
                    int img = i0 + i;
                    plan.pad(x, (img * g.cin() + grp * cing) * g.h() * g.w(), src, i * srcStride, 0, cing, srcStride);
                    lineUp(plan, gy, (img * g.cout() + grp * coutg) * plan.oh * plan.ow, coutg, rowsPadded, lines,
                            i * gyStride);
                }
                int n = imgs;
                Parallel.RangeBody body = (t0, t1) -> {
                    float[] out = new float[DOT_ROWS * DOT_TAPS];
                    for (int t = t0; t < t1; t++) {
                        int r0 = t / tapTiles * DOT_ROWS;
                        int j0 = t % tapTiles * DOT_TAPS;
                        int[] tab = plan.tab;
                        Arrays.fill(out, 0f);
                        ConvDirectKernel.dot(lines, r0 * plan.line, plan.line, gyStride, src, srcStride, tab[j0],
                                tab[Math.min(j0 + 1, k - 1)], tab[Math.min(j0 + 2, k - 1)], plan.line, n, out);
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

    /**
     * Lays the output gradient of {@code coutg} channels out on the padded rows, one line of {@link
     * ConvDirect.Plan#line} floats per channel, zeros in the padding columns, the tail and the channels up to
     * {@code rowsPadded}.
     */
    private static void lineUp(ConvDirect.Plan plan, float[] gy, int gyOff, int coutg, int rowsPadded, float[] lines,
                               int linesOff) {
        int oh = plan.oh, ow = plan.ow, wp = plan.wp, line = plan.line;
        for (int oc = 0; oc < rowsPadded; oc++) {
            int base = linesOff + oc * line;
            if (oc >= coutg) {
                Arrays.fill(lines, base, base + line, 0f);
                continue;
            }
            for (int oy = 0; oy < oh; oy++) {
                int row = base + oy * wp;
                System.arraycopy(gy, gyOff + (oc * oh + oy) * ow, lines, row, ow);
                Arrays.fill(lines, row + ow, Math.min(row + wp, base + line), 0f);
            }
            Arrays.fill(lines, Math.min(base + oh * wp, base + line), base + line, 0f);
        }
    }
}
