package org.legodnn.kernels.reference;

/**
 * BatchNorm written straight from its definition, in double, one channel at a time: the yardstick that
 * {@link org.legodnn.kernels.BatchNormKernel} is checked against. Null {@code gamma}/{@code beta} mean 1 and 0.
 */
public final class BatchNormReference {

    private BatchNormReference() {
    }

    public static void trainForward(int n, int c, int hw, float[] x, float[] gamma, float[] beta, float eps,
                                    float[] y, float[] mean, float[] invStd) {
        int count = n * hw;
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < hw; j++) {
                    sum += x[(i * c + ch) * hw + j];
                }
            }
            double mu = sum / count;
            double squares = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < hw; j++) {
                    double d = x[(i * c + ch) * hw + j] - mu;
                    squares += d * d;
                }
            }
            double is = 1.0 / Math.sqrt(squares / count + eps);
            mean[ch] = (float) mu;
            invStd[ch] = (float) is;
            double gm = gamma == null ? 1.0 : gamma[ch];
            double bt = beta == null ? 0.0 : beta[ch];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < hw; j++) {
                    int k = (i * c + ch) * hw + j;
                    y[k] = (float) (gm * (x[k] - mu) * is + bt);
                }
            }
        }
    }

    public static void evalForward(int n, int c, int hw, float[] x, float[] gamma, float[] beta,
                                   float[] runningMean, float[] runningVar, float eps, float[] y) {
        for (int ch = 0; ch < c; ch++) {
            double is = 1.0 / Math.sqrt((double) runningVar[ch] + eps);
            double gm = gamma == null ? 1.0 : gamma[ch];
            double bt = beta == null ? 0.0 : beta[ch];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < hw; j++) {
                    int k = (i * c + ch) * hw + j;
                    y[k] = (float) (gm * (x[k] - runningMean[ch]) * is + bt);
                }
            }
        }
    }

    /**
     * {@code gGamma = Σ gy·xhat}, {@code gBeta = Σ gy}; {@code gx = gamma·invStd/M·(M·gy − Σgy − xhat·Σgy·xhat)}
     * in training, {@code gx = gy·gamma·invStd} otherwise. Null outputs are skipped.
     */
    public static void backward(int n, int c, int hw, float[] x, float[] gy, float[] gamma, float[] mean,
                                float[] invStd, boolean training, float[] gx, float[] gGamma, float[] gBeta) {
        int count = n * hw;
        for (int ch = 0; ch < c; ch++) {
            double sumGy = 0;
            double sumGyXhat = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < hw; j++) {
                    int k = (i * c + ch) * hw + j;
                    sumGy += gy[k];
                    sumGyXhat += gy[k] * ((x[k] - (double) mean[ch]) * invStd[ch]);
                }
            }
            if (gGamma != null) {
                gGamma[ch] = (float) sumGyXhat;
            }
            if (gBeta != null) {
                gBeta[ch] = (float) sumGy;
            }
            if (gx == null) {
                continue;
            }
            double gm = gamma == null ? 1.0 : gamma[ch];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < hw; j++) {
                    int k = (i * c + ch) * hw + j;
                    if (training) {
                        double xhat = (x[k] - (double) mean[ch]) * invStd[ch];
                        gx[k] = (float) (gm * invStd[ch] / count * (count * (double) gy[k] - sumGy - xhat * sumGyXhat));
                    } else {
                        gx[k] = (float) (gy[k] * gm * invStd[ch]);
                    }
                }
            }
        }
    }
}
