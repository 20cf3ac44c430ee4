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
 * they join the middle column's sum. Outputs are stored straight into the output plane, in whole vectors: a plane
 * that is no whole number of vectors stores its last vector over the start of the next plane when that plane is
 * this thread's and written after it, and otherwise takes its tail through a scratch slot in a second call, so that
 * the vector loop itself tests nothing ({@link #vectors}). Rows three vectors wide or more are computed two at a
 * time, which shares two of the three input rows they read ({@link #pairs}).
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
        int wd = g.w(), h = g.h(), hw = h * wd, cout = g.cout(), mult = g.coutPerGroup();
        // Rows three vectors wide or more go two at a time ({@link #pairs}), all but the last one or two.
        int rowsInPairs = wd >= 3 * L ? (h - 1) / 2 * 2 : 0;
        int pStart = rowsInPairs * wd;
        int end = pStart + (hw - pStart + L - 1) / L * L;
        // The column masks cover every vector either loop reads them for: up to a vector past the plane.
        int mw = (hw + L - 1) / L * L + L;
        // buf: zeros (a vector and a row), the plane, zeros (a row and a vector), one vector for the tail, then
        // the column masks: in this thread's buffer, so that a call allocates nothing.
        int base = L + wd;
        int size = base + hw + wd + L;
        int masks = size + L;
        Parallel.forRange(g.n() * cout, Math.max(1, (1 << 14) / (9 * hw)), (from, to) -> {
            float[] buf = ConvScratch.COLUMNS.take(masks + 2 * mw);
            Arrays.fill(buf, 0, base, 0f);
            Arrays.fill(buf, base + hw, size, 0f);
            columnMasks(wd, mw, buf, masks);
            int copied = -1;
            for (int u = from; u < to; u++) {
                int img = u / cout, oc = u - img * cout;
                int plane = img * g.cin() + oc / mult;
                if (plane != copied) {
                    System.arraycopy(x, plane * hw, buf, base, hw);
                    copied = plane;
                }
                int yOff = u * hw;
                float b = bias == null ? 0f : bias[oc];
                if (rowsInPairs > 0) {
                    pairs(buf, base, wd, rowsInPairs, masks, mw, w, oc * 9, b, lo, hi, y, yOff);
                }
                // The planes up to this range's end are this thread's and come later: the last vector may spill
                // into them (not when the output is the input, whose next plane is still to be read).
                int writable = x == y ? (u + 1) * hw : to * hw;
                int whole = pStart + Math.min(end - pStart, writable - yOff - pStart) / L * L;
                vectors(buf, base, wd, masks, mw, w, oc * 9, b, lo, hi, pStart, whole, y, yOff);
                if (whole < hw) {
                    vectors(buf, base, wd, masks, mw, w, oc * 9, b, lo, hi, whole, whole + L, buf, size - whole);
                    System.arraycopy(buf, size, y, yOff + whole, hw - whole);
                }
            }
        });
    }

    /**
     * Output rows {@code [0, rows)} ({@code rows} even, at most {@code h − 1}) two at a time: output rows {@code r}
     * and {@code r + 1} read input rows {@code r − 1 .. r + 2}, so one pass over a pair of rows loads 12 input
     * vectors and one pair of masks for two output vectors, where {@link #vectors} loads 18 and two pairs
     * (32×112×112: 0.206 -> 0.151 ms, 144×56×56: 0.198 -> 0.166; narrower rows lose more to the vector each row
     * rounds up to than they gain). Each row's last vector spills into the next row with the values that belong
     * there, before that row's own vectors are stored or after they were, so the order of stores changes nothing.
     */
    private static void pairs(float[] buf, int base, int w, int rows, int masks, int mw, float[] wt, int wOff,
                              float bias, float lo, float hi, float[] y, int yOff) {
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
        for (int r = 0; r < rows; r += 2) {
            for (int c = 0; c < w; c += L) {
                int p = r * w + c;
                int s = base + p;
                FloatVector leftMask = FloatVector.fromArray(SPECIES, buf, masks + c);
                FloatVector rightMask = FloatVector.fromArray(SPECIES, buf, masks + mw + c);
                FloatVector b0 = FloatVector.fromArray(SPECIES, buf, s - 1);
                FloatVector b1 = FloatVector.fromArray(SPECIES, buf, s);
                FloatVector b2 = FloatVector.fromArray(SPECIES, buf, s + 1);
                FloatVector c0 = FloatVector.fromArray(SPECIES, buf, s + w - 1);
                FloatVector c1 = FloatVector.fromArray(SPECIES, buf, s + w);
                FloatVector c2 = FloatVector.fromArray(SPECIES, buf, s + w + 1);
                // Output row r from input rows r − 1, r, r + 1; the same sums in the same order as vectors().
                FloatVector left = FloatVector.fromArray(SPECIES, buf, s - w - 1).mul(w0);
                left = b0.fma(w3, left);
                left = c0.fma(w6, left);
                FloatVector mid = FloatVector.fromArray(SPECIES, buf, s - w).fma(w1, vb);
                mid = b1.fma(w4, mid);
                mid = c1.fma(w7, mid);
                FloatVector right = FloatVector.fromArray(SPECIES, buf, s - w + 1).mul(w2);
                right = b2.fma(w5, right);
                right = c2.fma(w8, right);
                left.fma(leftMask, mid).add(right.mul(rightMask)).max(vlo).min(vhi).intoArray(y, yOff + p);
                // Output row r + 1 from input rows r, r + 1, r + 2.
                left = b0.mul(w0);
                left = c0.fma(w3, left);
                left = FloatVector.fromArray(SPECIES, buf, s + 2 * w - 1).fma(w6, left);
                mid = b1.fma(w1, vb);
                mid = c1.fma(w4, mid);
                mid = FloatVector.fromArray(SPECIES, buf, s + 2 * w).fma(w7, mid);
                right = b2.mul(w2);
                right = c2.fma(w5, right);
                right = FloatVector.fromArray(SPECIES, buf, s + 2 * w + 1).fma(w8, right);
                left.fma(leftMask, mid).add(right.mul(rightMask)).max(vlo).min(vhi).intoArray(y, yOff + p + w);
            }
        }
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
     * {@code buf[base]}, with the column masks at {@code buf[masks]} (left) and {@code buf[masks + mw]} (right),
     * stored at {@code out[outOff + p]}. The loop stores every vector it computes: a test for the tail inside it,
     * with its copy call, kept C2 from removing the loop's bounds checks, and every plane ran at about 20 cycles per
     * vector (384×14×14: 0.068 -> 0.034 ms without it).
     */
    private static void vectors(float[] buf, int base, int w, int masks, int mw, float[] wt, int wOff, float bias,
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
                    .add(right.mul(FloatVector.fromArray(SPECIES, buf, masks + mw + p)))
                    .max(vlo).min(vhi)
                    .intoArray(out, outOff + p);
        }
    }
}
