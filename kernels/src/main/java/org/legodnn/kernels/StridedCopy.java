package org.legodnn.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies every {@code step}-th float, the data movement of strided convolution and pooling (taking a phase of a
 * row, picking a stride's outputs from a row of window results), written once so that each caller gets a loop
 * the JIT compiles well: counted by one, with the common step 2 as its own copy whose index scale is a constant.
 * Written as {@code ix += step}, or with a scale only known at run time, C2 compiled loops it could neither
 * unroll nor free of bounds checks: about four cycles a float where these take one or two. Step 2 takes whole
 * vectors: two loads, each permuted so that its even lanes come first, then blended, one store per vector of
 * output.
 */
public final class StridedCopy {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    /** The upper half of the lanes, filled from the second of the two vectors. */
    private static final VectorMask<Float> UPPER = SPECIES.indexInRange(-SPECIES.length() / 2, SPECIES.length() / 2);

    private StridedCopy() {
    }

    /** {@code dst[d + i] = src[s + i·step]} for {@code i < count} ({@code step >= 1}). */
    public static void everyNth(float[] src, int s, int step, float[] dst, int d, int count) {
        if (step == 2) {
            everySecond(src, s, dst, d, count);
        } else if (step == 1) {
            System.arraycopy(src, s, dst, d, count);
        } else {
            for (int i = 0; i < count; i++) {
                dst[d + i] = src[s + i * step];
            }
        }
    }

    /**
     * {@link #everyNth} for {@code rows} rows: {@code dst[d + r·dstStride + i] = src[s + r·srcStride + i·step]} for
     * {@code r < rows}, {@code i < count}. Rows that lie end to end in {@code dst} ({@code dstStride == count}) are
     * stored in whole vectors, the last vector of a row spilling into the next row, which is written after it; only
     * the last row ends in single floats. Row by row through {@link #everyNth}, the single floats at the end of each
     * short row and the call's set-up cost about a third of a stride-2 depthwise layer (96×112×112).
     */
    public static void everyNthRows(float[] src, int s, int srcStride, int step, float[] dst, int d, int dstStride,
                                    int count, int rows) {
        int vl = SPECIES.length();
        if (step != 2 || vl < 4) {
            for (int r = 0; r < rows; r++) {
                everyNth(src, s + r * srcStride, step, dst, d + r * dstStride, count);
            }
            return;
        }
        VectorShuffle<Float> evens = SPECIES.iotaShuffle(0, 2, true);
        boolean dense = dstStride == count;
        int dEnd = d + (rows - 1) * dstStride + count;
        int perRow = (count + vl - 1) / vl;
        for (int r = 0; r < rows; r++) {
            int sr = s + r * srcStride, dr = d + r * dstStride;
            // Whole vectors: stored inside the rows (dense) or inside this row, and read inside src.
            int byDst = dense ? (dEnd - dr) / vl : count / vl;
            int bySrc = (src.length - sr) / (2 * vl);
            int whole = Math.max(0, Math.min(perRow, Math.min(byDst, bySrc)));
            for (int j = 0, i = 0; j < whole; j++, i += vl) {
                FloatVector lo = FloatVector.fromArray(SPECIES, src, sr + 2 * i).rearrange(evens);
                FloatVector hi = FloatVector.fromArray(SPECIES, src, sr + 2 * i + vl).rearrange(evens);
                lo.blend(hi, UPPER).intoArray(dst, dr + i);
            }
            for (int i = whole * vl; i < count; i++) {
                dst[dr + i] = src[sr + 2 * i];
            }
        }
    }

    /**
     * {@code dst[d + i] = src[s + 2i]}: a vector of output from two vectors of input. The vector loop stops
     * one float early, as its second load reads one float past the last it keeps.
     */
    private static void everySecond(float[] src, int s, float[] dst, int d, int count) {
        int vl = SPECIES.length();
        int i = 0;
        if (vl >= 4) {
            // Lane j takes lane 2j mod VL: the even lanes of a vector, twice over. Made here, not kept in a
            // static final: C2 on JDK 17 checked and copied a stored shuffle on every use.
            VectorShuffle<Float> evens = SPECIES.iotaShuffle(0, 2, true);
            for (int end = count - vl - 1; i <= end; i += vl) {
                FloatVector lo = FloatVector.fromArray(SPECIES, src, s + 2 * i).rearrange(evens);
                FloatVector hi = FloatVector.fromArray(SPECIES, src, s + 2 * i + vl).rearrange(evens);
                lo.blend(hi, UPPER).intoArray(dst, d + i);
            }
        }
        for (; i < count; i++) {
            dst[d + i] = src[s + 2 * i];
        }
    }
}
