package org.legodnn.tensor.ops;

import java.util.Arrays;
import org.legodnn.kernels.Backend;
import org.legodnn.kernels.Backends;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.Workspace;

/**
 * BatchNorm over {@code [N, C, H, W]}, PyTorch's {@code F.batch_norm}: normalizes each channel so deep
 * networks train, with batch statistics in training (and the running ones updated in place) and the
 * running statistics in eval.
 */
public final class BatchNorm2dOp {

    private BatchNorm2dOp() {
    }

    /**
     * {@code gamma}/{@code beta} may be null (affine=false). In training the running statistics, when given,
     * become {@code (1 − momentum)·running + momentum·batch}, the variance unbiased as PyTorch's.
     */
    public static Tensor apply(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                               boolean training, float momentum, float eps) {
        checkShapes(x, gamma, beta, runningMean, runningVar, training);
        int n = x.dim(0);
        int c = x.dim(1);
        int hw = x.dim(2) * x.dim(3);
        float[] g = gamma != null ? gamma.data() : filled(c, 1f);
        float[] bt = beta != null ? beta.data() : filled(c, 0f);
        Backend backend = Backends.current();
        float[] y = Workspace.array(x.size());
        float[] mean;
        float[] invStd;
        if (training) {
            mean = new float[c];
            invStd = new float[c];
            backend.batchNormTrain(n, c, hw, x.data(), g, bt, eps, y, mean, invStd);
            if (runningMean != null) {
                updateRunning(runningMean.data(), runningVar.data(), mean, invStd, eps, momentum, (long) n * hw);
            }
        } else {
            backend.batchNormEval(n, c, hw, x.data(), g, bt, runningMean.data(), runningVar.data(), eps, y);
            mean = runningMean.data().clone();
            invStd = new float[c];
            for (int ch = 0; ch < c; ch++) {
                invStd[ch] = (float) (1.0 / Math.sqrt((double) runningVar.data()[ch] + eps));
            }
        }
        return Tensor.result("batch_norm2d", y, x.shape(), gy -> {
            float[] gx = Workspace.array(x.size());
            float[] gGamma = new float[c];
            float[] gBeta = new float[c];
            backend.batchNormBackward(n, c, hw, x.data(), gy, g, mean, invStd, training, gx, gGamma, gBeta);
            if (x.requiresGrad()) {
                Grad.accumulate(backend, x, gx);
            }
            if (gamma != null && gamma.requiresGrad()) {
                Grad.accumulate(backend, gamma, gGamma);
            }
            if (beta != null && beta.requiresGrad()) {
                Grad.accumulate(backend, beta, gBeta);
            }
        }, x, gamma, beta);
    }

    /** PyTorch's momentum update, with the batch variance recovered from {@code invStd} and made unbiased. */
    private static void updateRunning(float[] runningMean, float[] runningVar, float[] mean, float[] invStd,
                                      float eps, float momentum, long count) {
        double unbias = (double) count / (count - 1);
        for (int ch = 0; ch < mean.length; ch++) {
            double is = invStd[ch];
            double biasedVar = Math.max(0.0, 1.0 / (is * is) - eps);
            runningMean[ch] = (float) ((1 - momentum) * (double) runningMean[ch] + momentum * (double) mean[ch]);
            runningVar[ch] = (float) ((1 - momentum) * (double) runningVar[ch] + momentum * unbias * biasedVar);
        }
    }

    private static void checkShapes(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                    boolean training) {
        Shapes.requireRank("batch_norm2d", "input", x, 4);
        int c = x.dim(1);
        requireChannels(x, "weight (gamma)", gamma, c);
        requireChannels(x, "bias (beta)", beta, c);
        requireChannels(x, "running_mean", runningMean, c);
        requireChannels(x, "running_var", runningVar, c);
        if ((runningMean == null) != (runningVar == null)) {
            throw new IllegalArgumentException("batch_norm2d: give both running_mean and running_var, or neither");
        }
        if (!training && runningMean == null) {
            throw new IllegalArgumentException("batch_norm2d: eval mode needs running_mean and running_var");
        }
        if (training && (long) x.dim(0) * x.dim(2) * x.dim(3) < 2) {
            throw new IllegalArgumentException("batch_norm2d: training needs more than 1 value per channel, got input "
                    + Shapes.format(x.shape()));
        }
    }

    private static void requireChannels(Tensor x, String what, Tensor t, int c) {
        if (t != null && !t.sameShape(c)) {
            throw new IllegalArgumentException("batch_norm2d: " + what + " " + Shapes.format(t.shape()) + " must be ["
                    + c + "] for input " + Shapes.format(x.shape()));
        }
    }

    private static float[] filled(int c, float value) {
        float[] a = new float[c];
        Arrays.fill(a, value);
        return a;
    }
}
