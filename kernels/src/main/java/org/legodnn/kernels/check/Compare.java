package org.legodnn.kernels.check;

import java.util.Arrays;
import java.util.Random;

/** Element-wise comparison with a tolerance, and random data, shared by every kernel check. */
public final class Compare {

    private Compare() {
    }

    /**
     * Fails unless {@code |actual - expected| <= atol + rtol * |expected|} everywhere (equal infinities and two
     * NaNs pass), naming {@code what},
     * the first offending index and both values.
     */
    public static void assertClose(String what, float[] expected, float[] actual, float rtol, float atol) {
        if (expected.length != actual.length) {
            throw new AssertionError(what + ": length " + actual.length + ", expected " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            float a = actual[i];
            if (!(a == e || Math.abs(a - e) <= atol + rtol * Math.abs(e)) && !(Float.isNaN(e) && Float.isNaN(a))) {
                throw new AssertionError(what + ": element " + i + " is " + a + ", expected " + e
                        + " (rtol " + rtol + ", atol " + atol + ")");
            }
        }
    }

    /** Fails unless both integer arrays are equal, naming {@code what} and the first difference. */
    public static void assertEqual(String what, int[] expected, int[] actual) {
        if (!Arrays.equals(expected, actual)) {
            int i = Arrays.mismatch(expected, actual);
            throw new AssertionError(what + ": element " + i + " differs");
        }
    }

    /** Uniform values in [-1, 1). */
    public static float[] random(Random rnd, int len) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) {
            a[i] = rnd.nextFloat() * 2f - 1f;
        }
        return a;
    }
}
