package org.legodnn.kernels.check;

import java.util.Random;
import org.legodnn.kernels.elementwise.BatchNormKernel;
import org.legodnn.kernels.reference.BatchNormReference;

/**
 * {@link BatchNormKernel} against the double-precision {@link BatchNormReference}: training and inference
 * forward and backward, with and without the affine transform, on data whose mean is far from zero (where
 * a careless variance loses its digits).
 */
public final class BatchNormCheck implements KernelCheck {

    @Override
    public String name() {
        return "batchnorm";
    }

    @Override
    public void run(long seed) {
        Random rnd = new Random(seed);
        for (int t = 0; t < 40; t++) {
            int hw = t < 30 ? 1 + rnd.nextInt(80) : 1 + rnd.nextInt(3000);
            compare(1 + rnd.nextInt(4), 1 + rnd.nextInt(5), hw, rnd.nextInt(4) != 0, t % 3 == 0 ? 4f : 0f, rnd);
        }
        compare(8, 16, 32 * 32, true, 0.5f, rnd); // big enough to be split over threads
    }

    private static void compare(int n, int c, int hw, boolean affine, float offset, Random rnd) {
        String what = "[" + n + ", " + c + ", " + hw + "] affine=" + affine + " offset=" + offset;
        int len = n * c * hw;
        float eps = 1e-5f;
        float[] x = Compare.random(rnd, len);
        for (int i = 0; i < len; i++) {
            x[i] += offset;
        }
        float[] gamma = affine ? Compare.random(rnd, c) : null;
        float[] beta = affine ? Compare.random(rnd, c) : null;

        float[] yRef = new float[len];
        float[] meanRef = new float[c];
        float[] invStdRef = new float[c];
        BatchNormReference.trainForward(n, c, hw, x, gamma, beta, eps, yRef, meanRef, invStdRef);
        float[] y = new float[len];
        float[] mean = new float[c];
        float[] invStd = new float[c];
        BatchNormKernel.trainForward(n, c, hw, x, gamma, beta, eps, y, mean, invStd);
        Compare.assertClose("batchNormTrain mean " + what, meanRef, mean, 1e-5f, 1e-6f);
        Compare.assertClose("batchNormTrain invStd " + what, invStdRef, invStd, 1e-4f, 0f);
        Compare.assertClose("batchNormTrain y " + what, yRef, y, 1e-4f, 1e-5f);

        float[] gy = Compare.random(rnd, len);
        for (boolean training : new boolean[] {true, false}) {
            float[] mu = meanRef;
            float[] is = invStdRef;
            if (!training) {
                mu = Compare.random(rnd, c);
                is = new float[c];
                float[] runningVar = new float[c];
                for (int ch = 0; ch < c; ch++) {
                    runningVar[ch] = 0.1f + rnd.nextFloat();
                    is[ch] = (float) (1.0 / Math.sqrt(runningVar[ch] + eps));
                }
                BatchNormReference.evalForward(n, c, hw, x, gamma, beta, mu, runningVar, eps, yRef);
                BatchNormKernel.evalForward(n, c, hw, x, gamma, beta, mu, runningVar, eps, y);
                Compare.assertClose("batchNormEval y " + what, yRef, y, 1e-4f, 1e-5f);
            }
            float[] gxRef = new float[len];
            float[] gGammaRef = new float[c];
            float[] gBetaRef = new float[c];
            BatchNormReference.backward(n, c, hw, x, gy, gamma, mu, is, training, gxRef, gGammaRef, gBetaRef);
            float[] gx = Compare.random(rnd, len);
            float[] gGamma = Compare.random(rnd, c);
            float[] gBeta = Compare.random(rnd, c);
            BatchNormKernel.backward(n, c, hw, x, gy, gamma, mu, is, training, gx, gGamma, gBeta);
            String mode = training ? "training " : "eval ";
            Compare.assertClose("batchNormBackward gGamma " + mode + what, gGammaRef, gGamma, 1e-4f, 1e-4f);
            Compare.assertClose("batchNormBackward gBeta " + mode + what, gBetaRef, gBeta, 1e-4f, 1e-4f);
            // gx is a difference of terms of the size of gamma·invStd·gy: absolute error scales with that
            Compare.assertClose("batchNormBackward gx " + mode + what, gxRef, gx, 1e-3f, 1e-4f * maxAbs(is));
        }
    }

    private static float maxAbs(float[] a) {
        float m = 0f;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
