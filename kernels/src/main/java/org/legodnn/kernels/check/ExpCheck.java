package org.legodnn.kernels.check;

import java.util.Random;
import org.legodnn.kernels.elementwise.ExpKernel;
import org.legodnn.kernels.reference.ElementwiseReference;

/**
 * {@link ExpKernel}'s polynomial {@code exp}, {@code sigmoid} and {@code tanh} against {@link Math}'s in double
 * ({@link ElementwiseReference}), within a few ulp, on lengths from 0 to past the parallel threshold, on values
 * spread from -90 to 90 with the edges (0, ±0.625, overflow, NaN, infinities) mixed in, and in place.
 */
public final class ExpCheck implements KernelCheck {

    /** A few ulp of float: the polynomial's own error plus a rounding or two. */
    private static final float RTOL = 6e-7f;
    private static final float[] EDGES = {0f, -0f, 0.625f, -0.625f, 0.62499994f, 88.7f, 89f, 100f, -87f, -103f,
        -110f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-30f, -1e-8f, 20f, -20f};

    @Override
    public String name() {
        return "exp";
    }

    @Override
    public void run(long seed) {
        Random rnd = new Random(seed);
        for (int t = 0; t < 40; t++) {
            compare(t < 30 ? rnd.nextInt(t < 10 ? 12 : 300) : 1 + rnd.nextInt(1 << 17), rnd);
        }
    }

    private static void compare(int len, Random rnd) {
        float[] x = values(rnd, len);
        float[] expected = new float[len];
        float[] actual = new float[len];
        String what = " length " + len;

        ElementwiseReference.exp(len, x, expected);
        ExpKernel.exp(len, x, actual);
        // e^x below 2^-126 is subnormal: relative precision is lost in float itself, so compare absolutely there.
        Compare.assertClose("exp" + what, expected, actual, RTOL, Float.MIN_NORMAL);

        ElementwiseReference.sigmoid(len, x, expected);
        ExpKernel.sigmoid(len, x, actual);
        Compare.assertClose("sigmoid" + what, expected, actual, RTOL, Float.MIN_NORMAL);

        ElementwiseReference.tanh(len, x, expected);
        ExpKernel.tanh(len, x, actual);
        Compare.assertClose("tanh" + what, expected, actual, RTOL, 0f);
        float[] inPlace = x.clone();
        ExpKernel.tanh(len, inPlace, inPlace);
        Compare.assertClose("tanh in place" + what, expected, inPlace, RTOL, 0f);
    }

    /** Mostly moderate values (where heads live), a fifth over the whole range, and the edges. */
    private static float[] values(Random rnd, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) {
            int kind = rnd.nextInt(10);
            x[i] = kind == 0 ? EDGES[rnd.nextInt(EDGES.length)]
                    : kind <= 2 ? (rnd.nextFloat() * 2f - 1f) * 90f
                    : (float) rnd.nextGaussian() * 3f;
        }
        return x;
    }
}
