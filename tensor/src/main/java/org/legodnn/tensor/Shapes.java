package org.legodnn.tensor;

import java.util.Arrays;

/** Shape arithmetic and the wording of shape errors, so that every op reports mismatches the same way. */
public final class Shapes {

    private Shapes() {
    }

    /** {@code [2, 3, 32, 32]}. */
    public static String format(int... shape) {
        return Arrays.toString(shape);
    }

    /** The shape as a list, for JSON headers and reports. */
    public static java.util.List<Integer> asList(int... shape) {
        java.util.List<Integer> list = new java.util.ArrayList<>(shape.length);
        for (int d : shape) {
            list.add(d);
        }
        return list;
    }

    public static long size(int... shape) {
        long s = 1;
        for (int d : shape) {
            s *= d;
        }
        return s;
    }

    /** The element count, rejecting negative dimensions and sizes beyond an array's reach. */
    public static int checkedSize(String op, int... shape) {
        long s = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(op + ": negative dimension in shape " + format(shape));
            }
            s *= d;
            if (s > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(op + ": shape " + format(shape) + " is too large for one array");
            }
        }
        return (int) s;
    }

    /** Fails unless {@code t} has rank {@code rank}, naming the op and what was expected. */
    public static void requireRank(String op, String what, Tensor t, int rank) {
        if (t.rank() != rank) {
            throw new IllegalArgumentException(op + ": " + what + " must have " + rank + " dimensions, got shape "
                    + format(t.shape()));
        }
    }

    /** Fails unless both tensors have the same shape, naming the op and both shapes. */
    public static void requireSame(String op, Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(op + ": shapes differ: " + format(a.shape()) + " and " + format(b.shape()));
        }
    }

    /**
     * Strides of {@code shape} as seen from the numpy-broadcast shape {@code out} it is broadcast to: the step in
     * elements per index of each output dimension, 0 where {@code shape} repeats (size 1 or missing).
     */
    public static int[] broadcastStrides(int[] shape, int[] out) {
        int[] s = new int[out.length];
        int offset = out.length - shape.length;
        int stride = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d + offset] = shape[d] == 1 ? 0 : stride;
            stride *= shape[d];
        }
        return s;
    }
}
