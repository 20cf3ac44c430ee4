package org.legodnn.tensor;

import java.util.Locale;

/**
 * Finds the first NaN or infinity among a tensor's values: the one cheap pass over an output or a loss that lets
 * a command stop and say where the numbers broke, instead of reporting a NaN accuracy, profiling garbage or
 * writing a file of NaNs. Checking once per result, not per op, costs a fraction of the work that made it.
 */
public final class NonFinite {

    private NonFinite() {
    }

    /** The flat index of the first NaN or infinite value of {@code t}, or -1 when all are finite. */
    public static int first(Tensor t) {
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            if (!Float.isFinite(d[i])) {
                return i;
            }
        }
        return -1;
    }

    /**
     * What is wrong with {@code t}, e.g. {@code "NaN at index 17 of [2, 10]"}, or null when every value is finite.
     */
    public static String describe(Tensor t) {
        int i = first(t);
        if (i < 0) {
            return null;
        }
        return String.format(Locale.ROOT, "%s at index %d of %s", t.data()[i], i, Shapes.format(t.shape()));
    }
}
