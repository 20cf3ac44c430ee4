package org.legodnn.kernels.check;

import java.util.Random;
import org.legodnn.kernels.pool.PoolGeometry;
import org.legodnn.kernels.pool.PoolKernel;
import org.legodnn.kernels.reference.PoolReference;

/**
 * {@link PoolKernel} against {@link PoolReference}: max (with and without argmax, with ties and NaN), average
 * (both {@code count_include_pad} settings), {@code ceil_mode}, uneven windows and strides, global average.
 */
public final class PoolCheck implements KernelCheck {

    @Override
    public String name() {
        return "pool";
    }

    @Override
    public void run(long seed) {
        Random rnd = new Random(seed);
        int done = 0;
        while (done < 80) {
            int kh = 1 + rnd.nextInt(4);
            int kw = 1 + rnd.nextInt(4);
            int padH = rnd.nextInt(kh / 2 + 1);
            int padW = rnd.nextInt(kw / 2 + 1);
            int h = 1 + rnd.nextInt(19);
            int w = 1 + rnd.nextInt(37);
            if (h + 2 * padH < kh || w + 2 * padW < kw) {
                continue;
            }
            PoolGeometry g = new PoolGeometry(1 + rnd.nextInt(3), 1 + rnd.nextInt(4), h, w, kh, kw,
                    1 + rnd.nextInt(3), 1 + rnd.nextInt(3), padH, padW, rnd.nextBoolean());
            compare(g, rnd, done % 5);
            done++;
        }
        // big enough to be split over threads
        compare(PoolGeometry.square(2, 16, 56, 56, 3, 2, 1, false), rnd, 0);
        compare(PoolGeometry.square(3, 7, 33, 33, 3, 2, 0, true), rnd, 1);
        // planes whose rows take several bands of the inference path, stride 1 and 2, with a NaN
        compare(PoolGeometry.square(1, 2, 150, 301, 3, 1, 1, false), rnd, 2);
        compare(PoolGeometry.square(1, 2, 224, 224, 3, 2, 1, true), rnd, 0);
        for (int t = 0; t < 30; t++) {
            compareGlobal(1 + rnd.nextInt(3), 1 + rnd.nextInt(6), 1 + rnd.nextInt(t < 25 ? 70 : 3000), rnd);
        }
    }

    /** {@code values}: 0 uniform, 1 few distinct values (ties), 2 with a NaN, otherwise uniform. */
    private static void compare(PoolGeometry g, Random rnd, int values) {
        String what = g.toString();
        float[] x = Compare.random(rnd, g.inputSize());
        if (values == 1) {
            for (int i = 0; i < x.length; i++) {
                x[i] = rnd.nextInt(3) - 1;
            }
        } else if (values == 2) {
            x[rnd.nextInt(x.length)] = Float.NaN;
        }
        int outLen = g.outputSize();
        float[] yRef = new float[outLen];
        int[] argRef = new int[outLen];
        PoolReference.maxForward(g, x, yRef, argRef);

        float[] y = new float[outLen];
        int[] arg = new int[outLen];
        PoolKernel.maxForward(g, x, y, arg);
        Compare.assertClose("maxPool2d with argmax " + what, yRef, y, 0f, 0f);
        Compare.assertEqual("maxPool2d argmax " + what, argRef, arg);
        float[] yNoArg = new float[outLen];
        PoolKernel.maxForward(g, x, yNoArg, null);
        Compare.assertClose("maxPool2d " + what, yRef, yNoArg, 0f, 0f);

        float[] gy = Compare.random(rnd, outLen);
        float[] gxRef = new float[g.inputSize()];
        PoolReference.maxBackward(g, gy, argRef, gxRef);
        float[] gx = Compare.random(rnd, g.inputSize());
        PoolKernel.maxBackward(g, gy, arg, gx);
        Compare.assertClose("maxPool2dBackward " + what, gxRef, gx, 1e-6f, 1e-6f);

        if (values == 2) {
            return;
        }
        for (boolean includePad : new boolean[] {true, false}) {
            PoolReference.avgForward(g, includePad, x, yRef);
            PoolKernel.avgForward(g, includePad, x, y);
            Compare.assertClose("avgPool2d countIncludePad=" + includePad + " " + what, yRef, y, 1e-5f, 1e-6f);
            PoolReference.avgBackward(g, includePad, gy, gxRef);
            gx = Compare.random(rnd, g.inputSize());
            PoolKernel.avgBackward(g, includePad, gy, gx);
            Compare.assertClose("avgPool2dBackward countIncludePad=" + includePad + " " + what, gxRef, gx, 1e-5f, 1e-6f);
        }
    }

    private static void compareGlobal(int n, int c, int hw, Random rnd) {
        String what = "[" + n + ", " + c + ", " + hw + "]";
        float[] x = Compare.random(rnd, n * c * hw);
        float[] yRef = new float[n * c];
        float[] y = new float[n * c];
        PoolReference.globalAvgForward(n, c, hw, x, yRef);
        PoolKernel.globalAvgForward(n, c, hw, x, y);
        Compare.assertClose("globalAvgPool " + what, yRef, y, 1e-4f, 1e-6f);
        float[] gy = Compare.random(rnd, n * c);
        float[] gxRef = new float[x.length];
        float[] gx = Compare.random(rnd, x.length);
        PoolReference.globalAvgBackward(n, c, hw, gy, gxRef);
        PoolKernel.globalAvgBackward(n, c, hw, gy, gx);
        Compare.assertClose("globalAvgPoolBackward " + what, gxRef, gx, 0f, 0f);
    }
}
