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
