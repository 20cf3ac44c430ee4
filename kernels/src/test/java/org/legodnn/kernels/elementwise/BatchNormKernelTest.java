package org.legodnn.kernels.elementwise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.legodnn.kernels.Fixture;
import org.legodnn.kernels.Parallel;
import org.legodnn.kernels.check.BatchNormCheck;
import org.legodnn.kernels.check.Compare;

class BatchNormKernelTest {

    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @Test
    void matchesReferenceOnOneThread() {
        Parallel.setThreads(1);
        new BatchNormCheck().run(1);
    }

    @Test
    void matchesReferenceOnTwoThreads() {
        Parallel.setThreads(2);
        new BatchNormCheck().run(2);
    }

    @Test
    void withoutAffineIsGammaOneBetaZero() {
        Random rnd = new Random(5);
        int n = 3;
        int c = 4;
        int hw = 19;
        float[] x = Compare.random(rnd, n * c * hw);
        float[] gy = Compare.random(rnd, x.length);
        float[] ones = new float[c];
        Arrays.fill(ones, 1f);
        float[] zeros = new float[c];

        float[] yAffine = new float[x.length];
        float[] y = new float[x.length];
        float[] mean = new float[c];
        float[] invStd = new float[c];
        BatchNormKernel.trainForward(n, c, hw, x, ones, zeros, 1e-5f, yAffine, mean, invStd);
        BatchNormKernel.trainForward(n, c, hw, x, null, null, 1e-5f, y, mean, invStd);
        assertArrayEquals(yAffine, y);

        float[] gxAffine = new float[x.length];
        float[] gx = new float[x.length];
        float[] gGamma = new float[c];
        float[] gBeta = new float[c];
        BatchNormKernel.backward(n, c, hw, x, gy, ones, mean, invStd, true, gxAffine, gGamma, gBeta);
        BatchNormKernel.backward(n, c, hw, x, gy, null, mean, invStd, true, gx, null, null);
        assertArrayEquals(gxAffine, gx);
    }

    @Test
    void constantChannelNormalizesToBeta() {
        int n = 2;
        int hw = 9;
        float[] x = new float[n * hw];
        Arrays.fill(x, 1000.25f);
        float[] y = new float[x.length];
        float[] mean = new float[1];
        float[] invStd = new float[1];
        BatchNormKernel.trainForward(n, 1, hw, x, new float[] {3f}, new float[] {0.5f}, 1e-5f, y, mean, invStd);
        float[] expected = new float[x.length];
        Arrays.fill(expected, 0.5f);
        assertArrayEquals(expected, y);
        assertArrayEquals(new float[] {1000.25f}, mean);
        Compare.assertClose("invStd", new float[] {(float) (1 / Math.sqrt(1e-5))}, invStd, 1e-6f, 0f);
    }

    @Test
    void rejectsShortArrays() {
        assertThrows(IllegalArgumentException.class, () -> BatchNormKernel.trainForward(2, 3, 4, new float[23], null,
                null, 1e-5f, new float[24], new float[3], new float[3]));
        assertThrows(IllegalArgumentException.class, () -> BatchNormKernel.evalForward(2, 3, 4, new float[24],
                new float[2], null, new float[3], new float[3], 1e-5f, new float[24]));
        assertThrows(IllegalArgumentException.class, () -> BatchNormKernel.backward(2, 3, 4, new float[24],
                new float[24], null, new float[3], null, true, new float[24], null, null));
    }

    // ---- PyTorch's numbers -----------------------------------------------------------------------------

    @Test
    void trainingMatchesPyTorch() {
        Fixture f = Fixture.op("batchnorm2d_train");
        int[] s = f.shape("x");
        int n = s[0];
        int c = s[1];
        int hw = s[2] * s[3];
        float eps = (float) f.doubleAttr("eps", 1e-5);
        float[] x = f.get("x");
        float[] gamma = f.get("gamma");
        float[] y = new float[x.length];
        float[] mean = new float[c];
        float[] invStd = new float[c];
        BatchNormKernel.trainForward(n, c, hw, x, gamma, f.get("beta"), eps, y, mean, invStd);
        Compare.assertClose("batchnorm2d_train y", f.get("y"), y, 1e-4f, 1e-5f);

        // the statistics written are the ones PyTorch's running-average update starts from
        double momentum = f.doubleAttr("momentum", 0.1);
        int count = n * hw;
        float[] runningMeanIn = f.get("running_mean_in");
        float[] runningVarIn = f.get("running_var_in");
        float[] runningMean = new float[c];
        float[] runningVar = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double var = 1.0 / ((double) invStd[ch] * invStd[ch]) - eps;
            runningMean[ch] = (float) ((1 - momentum) * runningMeanIn[ch] + momentum * mean[ch]);
            runningVar[ch] = (float) ((1 - momentum) * runningVarIn[ch] + momentum * var * count / (count - 1));
        }
        Compare.assertClose("batchnorm2d_train running_mean", f.get("running_mean_out"), runningMean, 1e-4f, 1e-5f);
        Compare.assertClose("batchnorm2d_train running_var", f.get("running_var_out"), runningVar, 1e-4f, 1e-5f);

        float[] gx = new float[x.length];
        float[] gGamma = new float[c];
        float[] gBeta = new float[c];
        BatchNormKernel.backward(n, c, hw, x, f.get("gy"), gamma, mean, invStd, true, gx, gGamma, gBeta);
        Compare.assertClose("batchnorm2d_train gx", f.get("gx"), gx, 1e-3f, 1e-5f);
        Compare.assertClose("batchnorm2d_train ggamma", f.get("ggamma"), gGamma, 1e-3f, 1e-5f);
        Compare.assertClose("batchnorm2d_train gbeta", f.get("gbeta"), gBeta, 1e-3f, 1e-5f);
    }

    @Test
    void evalMatchesPyTorch() {
        Fixture f = Fixture.op("batchnorm2d_eval");
        int[] s = f.shape("x");
        int n = s[0];
        int c = s[1];
        int hw = s[2] * s[3];
        float eps = (float) f.doubleAttr("eps", 1e-5);
        float[] x = f.get("x");
        float[] gamma = f.get("gamma");
        float[] runningMean = f.get("running_mean");
        float[] runningVar = f.get("running_var");
        float[] y = new float[x.length];
        BatchNormKernel.evalForward(n, c, hw, x, gamma, f.get("beta"), runningMean, runningVar, eps, y);
        Compare.assertClose("batchnorm2d_eval y", f.get("y"), y, 1e-4f, 1e-5f);

        float[] invStd = new float[c];
        for (int ch = 0; ch < c; ch++) {
            invStd[ch] = (float) (1.0 / Math.sqrt((double) runningVar[ch] + eps));
        }
        float[] gx = new float[x.length];
        float[] gGamma = new float[c];
        float[] gBeta = new float[c];
        BatchNormKernel.backward(n, c, hw, x, f.get("gy"), gamma, runningMean, invStd, false, gx, gGamma, gBeta);
        Compare.assertClose("batchnorm2d_eval gx", f.get("gx"), gx, 1e-4f, 1e-5f);
        Compare.assertClose("batchnorm2d_eval ggamma", f.get("ggamma"), gGamma, 1e-3f, 1e-5f);
        Compare.assertClose("batchnorm2d_eval gbeta", f.get("gbeta"), gBeta, 1e-3f, 1e-5f);
    }
}
