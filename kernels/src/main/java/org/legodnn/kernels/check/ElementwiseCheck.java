package org.legodnn.kernels.check;

import java.util.Random;
import org.legodnn.kernels.elementwise.ElementwiseKernel;
import org.legodnn.kernels.reference.ElementwiseReference;

/**
 * {@link ElementwiseKernel} against {@link ElementwiseReference}, bit for bit, on lengths from 0 to past
 * the parallel threshold, with the edge values 0, 6 and NaN, and in place.
 */
public final class ElementwiseCheck implements KernelCheck {

    @Override
    public String name() {
        return "elementwise";
    }

    @Override
    public void run(long seed) {
        Random rnd = new Random(seed);
        for (int t = 0; t < 60; t++) {
            compare(t < 50 ? rnd.nextInt(t < 10 ? 10 : 200) : 1 + rnd.nextInt(1 << 18), rnd);
        }
    }

    private static void compare(int len, Random rnd) {
        String what = "length " + len;
        float[] x = values(rnd, len);
        float[] gy = values(rnd, len);
        float[] expected = new float[len];
        float[] actual = new float[len];

        ElementwiseReference.relu(len, x, expected);
        ElementwiseKernel.relu(len, x, actual);
        Compare.assertClose("relu " + what, expected, actual, 0f, 0f);
        float[] inPlace = x.clone();
        ElementwiseKernel.relu(len, inPlace, inPlace);
        Compare.assertClose("relu in place " + what, expected, inPlace, 0f, 0f);

        ElementwiseReference.reluBackward(len, x, gy, expected);
        ElementwiseKernel.reluBackward(len, x, gy, actual);
        Compare.assertClose("reluBackward " + what, expected, actual, 0f, 0f);

        ElementwiseReference.relu6(len, x, expected);
        ElementwiseKernel.relu6(len, x, actual);
        Compare.assertClose("relu6 " + what, expected, actual, 0f, 0f);

        ElementwiseReference.relu6Backward(len, x, gy, expected);
        ElementwiseKernel.relu6Backward(len, x, gy, actual);
        Compare.assertClose("relu6Backward " + what, expected, actual, 0f, 0f);

        ElementwiseReference.add(len, x, gy, expected);
        ElementwiseKernel.add(len, x, gy, actual);
        Compare.assertClose("add " + what, expected, actual, 0f, 0f);

        float[] acc = gy.clone();
        ElementwiseKernel.addInPlace(len, acc, x);
        Compare.assertClose("addInPlace " + what, expected, acc, 0f, 0f);
    }

    /** Uniform in [-8, 8), with exact 0, 6, -0 and NaN sprinkled in. */
    private static float[] values(Random rnd, int len) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) {
            int pick = rnd.nextInt(20);
            a[i] = pick == 0 ? 0f : pick == 1 ? 6f : pick == 2 ? -0f : pick == 3 ? Float.NaN : rnd.nextFloat() * 16f - 8f;
        }
        return a;
    }
}
