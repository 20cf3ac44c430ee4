package org.legodnn.kernels.conv;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.legodnn.kernels.Parallel;

/**
 * The forward pass of the most common depthwise convolution, 3×3 with stride 1 and padding 1 (every
 * stride-1 depthwise layer of MobileNet), without the per-row copies of {@link ConvDepthwise}: those copied
 * each plane into padded rows and each output row back out, two short copies per row that cost several times
 * the nine multiply-adds per output they surround (56×56 planes: about 2.5 µs per channel, of which the
 * arithmetic is a few hundred nanoseconds).
 *
 * <p>Here output {@code (oy, ox)} keeps the input's own flat index {@code p = oy·w + ox}, and tap {@code (i, j)}
 * reads {@code p + (i − 1)·w + (j − 1)}. The rows above and below the plane are zero rows on either side of
 * one whole-plane copy; the columns left and right of it are not there at all: tap column 0 at {@code ox = 0}
 * reads the previous row's last value, and tap column 2 at {@code ox = w − 1} the next row's first. So the
 * three taps of each side column are summed apart and multiplied by a 0/1 mask of the output columns before
 * they join the middle column's sum. Outputs are stored straight into the output plane; a plane whose size is
 * not a whole number of vectors stores its last vector whole, over the start of the next plane, when that plane
 * is this thread's and written after it (a tail stored through a buffer cost as much as the rest of a 14×14
 * plane: 384×14×14 0.084 -> 0.039 ms).
 */
final class ConvDepthwise3x3 {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();

    private ConvDepthwise3x3() {
    }

    /** Whether {@code g} runs here: one input channel per group, 3×3, stride 1, padding 1, no dilation. */
    static boolean suits(ConvGeometry g) {
        return g.cinPerGroup() == 1 && g.kh() == 3 && g.kw() == 3 && g.strideH() == 1 && g.strideW() == 1
                && g.padH() == 1 && g.padW() == 1 && g.dilationH() == 1 && g.dilationW() == 1;
    }

    /** {@code y = clamp(conv2d(x, w) + bias, lo, hi)} for a geometry that {@link #suits}; {@code bias} may be null. */
    static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float lo, float hi, float[] y) {
        int wd = g.w(), hw = g.h() * wd, cout = g.cout(), mult = g.coutPerGroup();
        int hwV = (hw + L - 1) / L * L;
        // buf: zeros (a vector and a row), the plane, zeros (a row and a vector), one vector for the tail, then
        // the column masks: in this thread's buffer, so that a call allocates nothing.
        int base = L + wd;
        int size = base + hw + wd + L;
        int masks = size + L;
        Parallel.forRange(g.n() * cout, Math.max(1, (1 << 14) / (9 * hw)), (from, to) -> {
            float[] buf = ConvScratch.COLUMNS.take(masks + 2 * hwV);
            Arrays.fill(buf, 0, base, 0f);
            Arrays.fill(buf, base + hw, size, 0f);
            columnMasks(wd, hwV, buf, masks);
            int copied = -1;
            for (int u = from; u < to; u++) {
                int img = u / cout, oc = u - img * cout;
                int plane = img * g.cin() + oc / mult;
                if (plane != copied) {
                    System.arraycopy(x, plane * hw, buf, base, hw);
                    copied = plane;
                }
                // The planes up to this range's end are this thread's and come later: the last vector may spill
                // into them (not when the output is the input, whose next plane is still to be read).
                int writable = x == y ? (u + 1) * hw : to * hw;
                int yOff = u * hw;
                int whole = Math.min(hwV, writable - yOff) / L * L;
                float b = bias == null ? 0f : bias[oc];
                vectors(buf, base, wd, masks, hwV, w, oc * 9, b, lo, hi, 0, whole, y, yOff);
                if (whole < hw) {
                    vectors(buf, base, wd, masks, hwV, w, oc * 9, b, lo, hi, whole, whole + L, buf, size - whole);
                    System.arraycopy(buf, size, y, yOff + whole, hw - whole);
                }
            }
        });
    }

    /**
     * Writes the column masks for {@code p < hwV} from {@code m[off]}: {@code m[off + p]} is 0 where
     * {@code p mod w == 0} (no left neighbour), {@code m[off + hwV + p]} 0 where {@code p mod w == w − 1} (no right
     * neighbour), 1 elsewhere.
     */
    static void columnMasks(int w, int hwV, float[] m, int off) {
        for (int p = 0, col = 0; p < hwV; p++) {
            m[off + p] = col == 0 ? 0f : 1f;
            m[off + hwV + p] = col == w - 1 ? 0f : 1f;
            col = col == w - 1 ? 0 : col + 1;
        }
    }

    /**
     * Output vectors {@code [pFrom, pTo)} of one plane (whole vectors) from the padded copy of its input plane at
     * {@code buf[base]}, with the column masks at {@code buf[masks]}, stored at {@code out[outOff + p]}. The loop
     * stores every vector it computes: a test for the tail inside it, with its copy call, kept C2 from removing
     * the loop's bounds checks and cost as much as the rest of a 14×14 plane.
     */
    private static void vectors(float[] buf, int base, int w, int masks, int hwV, float[] wt, int wOff, float bias,
                                float lo, float hi, int pFrom, int pTo, float[] out, int outOff) {
        FloatVector w0 = FloatVector.broadcast(SPECIES, wt[wOff]);
        FloatVector w1 = FloatVector.broadcast(SPECIES, wt[wOff + 1]);
        FloatVector w2 = FloatVector.broadcast(SPECIES, wt[wOff + 2]);
        FloatVector w3 = FloatVector.broadcast(SPECIES, wt[wOff + 3]);
        FloatVector w4 = FloatVector.broadcast(SPECIES, wt[wOff + 4]);
        FloatVector w5 = FloatVector.broadcast(SPECIES, wt[wOff + 5]);
        FloatVector w6 = FloatVector.broadcast(SPECIES, wt[wOff + 6]);
        FloatVector w7 = FloatVector.broadcast(SPECIES, wt[wOff + 7]);
        FloatVector w8 = FloatVector.broadcast(SPECIES, wt[wOff + 8]);
        FloatVector vb = FloatVector.broadcast(SPECIES, bias);
        FloatVector vlo = FloatVector.broadcast(SPECIES, lo);
        FloatVector vhi = FloatVector.broadcast(SPECIES, hi);
        for (int p = pFrom; p < pTo; p += L) {
            int s = base + p;
            FloatVector left = FloatVector.fromArray(SPECIES, buf, s - w - 1).mul(w0);
            left = FloatVector.fromArray(SPECIES, buf, s - 1).fma(w3, left);
            left = FloatVector.fromArray(SPECIES, buf, s + w - 1).fma(w6, left);
            FloatVector mid = FloatVector.fromArray(SPECIES, buf, s - w).fma(w1, vb);
            mid = FloatVector.fromArray(SPECIES, buf, s).fma(w4, mid);
            mid = FloatVector.fromArray(SPECIES, buf, s + w).fma(w7, mid);
            FloatVector right = FloatVector.fromArray(SPECIES, buf, s - w + 1).mul(w2);
            right = FloatVector.fromArray(SPECIES, buf, s + 1).fma(w5, right);
            right = FloatVector.fromArray(SPECIES, buf, s + w + 1).fma(w8, right);
            left.fma(FloatVector.fromArray(SPECIES, buf, masks + p), mid)
                    .add(right.mul(FloatVector.fromArray(SPECIES, buf, masks + hwV + p)))
                    .max(vlo).min(vhi)
                    .intoArray(out, outOff + p);
        }
    }
}
