package org.legodnn.kernels.check;

import java.util.Random;
import org.legodnn.kernels.pool.UpsampleKernel;
import org.legodnn.kernels.reference.UpsampleReference;

/**
 * {@link UpsampleKernel} against {@link UpsampleReference}: nearest by integer factors, bilinear to any
 * size (up, down, identity, and size-1 axes), forward and backward.
 */
public final class UpsampleCheck implements KernelCheck {

    @Override
    public String name() {
        return "upsample";
    }

    @Override
    public void run(long seed) {
        Random rnd = new Random(seed);
        for (int t = 0; t < 50; t++) {
            int n = 1 + rnd.nextInt(2);
            int c = 1 + rnd.nextInt(3);
            int h = 1 + rnd.nextInt(9);
            int w = 1 + rnd.nextInt(13);
            compareNearest(n, c, h, w, 1 + rnd.nextInt(4), 1 + rnd.nextInt(4), rnd);
            int outH = t % 7 == 0 ? h : 1 + rnd.nextInt(25);
            int outW = t % 7 == 0 ? w : 1 + rnd.nextInt(25);
            compareBilinear(n, c, h, w, outH, outW, rnd);
        }
        // big enough to be split over threads
        compareNearest(2, 16, 28, 28, 2, 2, rnd);
        compareBilinear(2, 16, 28, 28, 56, 56, rnd);
    }

    private static void compareNearest(int n, int c, int h, int w, int sh, int sw, Random rnd) {
        String what = "[" + n + ", " + c + ", " + h + ", " + w + "] scale " + sh + "x" + sw;
        float[] x = Compare.random(rnd, n * c * h * w);
        int outLen = n * c * h * sh * w * sw;
        float[] yRef = new float[outLen];
        float[] y = Compare.random(rnd, outLen);
        UpsampleReference.nearestForward(n, c, h, w, sh, sw, x, yRef);
        UpsampleKernel.nearestForward(n, c, h, w, sh, sw, x, y);
        Compare.assertClose("upsampleNearest " + what, yRef, y, 0f, 0f);
        float[] gy = Compare.random(rnd, outLen);
        float[] gxRef = new float[x.length];
        float[] gx = Compare.random(rnd, x.length);
        UpsampleReference.nearestBackward(n, c, h, w, sh, sw, gy, gxRef);
        UpsampleKernel.nearestBackward(n, c, h, w, sh, sw, gy, gx);
        Compare.assertClose("upsampleNearestBackward " + what, gxRef, gx, 1e-5f, 1e-6f);
    }

    private static void compareBilinear(int n, int c, int h, int w, int outH, int outW, Random rnd) {
        String what = "[" + n + ", " + c + ", " + h + ", " + w + "] -> " + outH + "x" + outW;
        float[] x = Compare.random(rnd, n * c * h * w);
        int outLen = n * c * outH * outW;
        float[] yRef = new float[outLen];
        float[] y = Compare.random(rnd, outLen);
        UpsampleReference.bilinearForward(n, c, h, w, outH, outW, x, yRef);
        UpsampleKernel.bilinearForward(n, c, h, w, outH, outW, x, y);
        Compare.assertClose("upsampleBilinear " + what, yRef, y, 1e-5f, 1e-6f);
        float[] gy = Compare.random(rnd, outLen);
        float[] gxRef = new float[x.length];
        float[] gx = Compare.random(rnd, x.length);
        UpsampleReference.bilinearBackward(n, c, h, w, outH, outW, gy, gxRef);
        UpsampleKernel.bilinearBackward(n, c, h, w, outH, outW, gy, gx);
        Compare.assertClose("upsampleBilinearBackward " + what, gxRef, gx, 1e-5f, 1e-6f);
    }
}
