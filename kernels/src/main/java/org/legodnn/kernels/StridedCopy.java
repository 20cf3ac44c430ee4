package org.legodnn.kernels;

/**
 * Copies every {@code step}-th float, the data movement of strided convolution and pooling (taking a phase of a
 * row, picking a stride's outputs from a row of window results), written once so that each caller gets a loop
 * the JIT compiles well: counted by one, with the common step 2 as its own copy whose index scale is a constant.
 * Written as {@code ix += step}, or with a scale only known at run time, C2 compiled loops it could neither
 * unroll nor free of bounds checks: about four cycles a float where these take one or two.
 */
public final class StridedCopy {

    private StridedCopy() {
    }

    /** {@code dst[d + i] = src[s + i·step]} for {@code i < count} ({@code step >= 1}). */
    public static void everyNth(float[] src, int s, int step, float[] dst, int d, int count) {
        if (step == 2) {
            for (int i = 0; i < count; i++) {
                dst[d + i] = src[s + 2 * i];
            }
        } else if (step == 1) {
            System.arraycopy(src, s, dst, d, count);
        } else {
            for (int i = 0; i < count; i++) {
                dst[d + i] = src[s + i * step];
            }
        }
    }
}
