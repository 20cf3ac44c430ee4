package org.legodnn.kernels;

import org.legodnn.kernels.quant.QuantizeKernel;

import org.legodnn.kernels.conv.ConvGeometry;
import org.legodnn.kernels.conv.ConvKernel;
import org.legodnn.kernels.elementwise.BatchNormKernel;
import org.legodnn.kernels.elementwise.ElementwiseKernel;
import org.legodnn.kernels.elementwise.ExpKernel;
import org.legodnn.kernels.elementwise.LayoutKernel;
import org.legodnn.kernels.gemm.Gemm;
import org.legodnn.kernels.pool.PoolGeometry;
import org.legodnn.kernels.pool.PoolKernel;
import org.legodnn.kernels.pool.UpsampleKernel;

/** The pure-Java backend: Vector API kernels on the shared {@link Parallel} pool. */
public final class CpuBackend implements Backend {

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public boolean vectorized() {
        return true;
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, boolean accumulate, float[] c, int cOff, int ldc) {
        Gemm.sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc);
    }

    @Override
    public void conv2d(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y) {
        ConvKernel.forward(g, x, w, bias, y);
    }

    @Override
    public void conv2dBackwardInput(ConvGeometry g, float[] gy, float[] w, float[] gx) {
        ConvKernel.backwardInput(g, gy, w, gx);
    }

    @Override
    public void conv2dBackwardWeight(ConvGeometry g, float[] x, float[] gy, float[] gw) {
        ConvKernel.backwardWeight(g, x, gy, gw);
    }

    @Override
    public void biasBackward(int n, int c, int hw, float[] gy, float[] gb) {
        ConvKernel.backwardBias(n, c, hw, gy, gb);
    }

    @Override
    public void maxPool2d(PoolGeometry g, float[] x, float[] y, int[] argmax) {
        PoolKernel.maxForward(g, x, y, argmax);
    }

    @Override
    public void maxPool2dBackward(PoolGeometry g, float[] gy, int[] argmax, float[] gx) {
        PoolKernel.maxBackward(g, gy, argmax, gx);
    }

    @Override
    public void avgPool2d(PoolGeometry g, boolean countIncludePad, float[] x, float[] y) {
        PoolKernel.avgForward(g, countIncludePad, x, y);
    }

    @Override
    public void avgPool2dBackward(PoolGeometry g, boolean countIncludePad, float[] gy, float[] gx) {
        PoolKernel.avgBackward(g, countIncludePad, gy, gx);
    }

    @Override
    public void globalAvgPool(int n, int c, int hw, float[] x, float[] y) {
        PoolKernel.globalAvgForward(n, c, hw, x, y);
    }

    @Override
    public void globalAvgPoolBackward(int n, int c, int hw, float[] gy, float[] gx) {
        PoolKernel.globalAvgBackward(n, c, hw, gy, gx);
    }

    @Override
    public void batchNormTrain(int n, int c, int hw, float[] x, float[] gamma, float[] beta, float eps,
                               float[] y, float[] mean, float[] invStd) {
        BatchNormKernel.trainForward(n, c, hw, x, gamma, beta, eps, y, mean, invStd);
    }

    @Override
    public void batchNormEval(int n, int c, int hw, float[] x, float[] gamma, float[] beta,
                              float[] runningMean, float[] runningVar, float eps, float[] y) {
        BatchNormKernel.evalForward(n, c, hw, x, gamma, beta, runningMean, runningVar, eps, y);
    }

    @Override
    public void batchNormBackward(int n, int c, int hw, float[] x, float[] gy, float[] gamma, float[] mean,
                                  float[] invStd, boolean training, float[] gx, float[] gGamma, float[] gBeta) {
        BatchNormKernel.backward(n, c, hw, x, gy, gamma, mean, invStd, training, gx, gGamma, gBeta);
    }

    @Override
    public void relu(int len, float[] x, float[] y) {
        ElementwiseKernel.relu(len, x, y);
    }

    @Override
    public void reluBackward(int len, float[] x, float[] gy, float[] gx) {
        ElementwiseKernel.reluBackward(len, x, gy, gx);
    }

    @Override
    public void fakeQuantize(float[] x, int off, int len, float scale, int zeroPoint, int min, int max, float[] y) {
        QuantizeKernel.fakeQuantize(x, off, len, scale, zeroPoint, min, max, y);
    }

    @Override
    public void relu6(int len, float[] x, float[] y) {
        ElementwiseKernel.relu6(len, x, y);
    }

    @Override
    public void relu6Backward(int len, float[] x, float[] gy, float[] gx) {
        ElementwiseKernel.relu6Backward(len, x, gy, gx);
    }

    @Override
    public void exp(int len, float[] x, float[] y) {
        ExpKernel.exp(len, x, y);
    }

    @Override
    public void sigmoid(int len, float[] x, float[] y) {
        ExpKernel.sigmoid(len, x, y);
    }

    @Override
    public void tanh(int len, float[] x, float[] y) {
        ExpKernel.tanh(len, x, y);
    }

    @Override
    public void add(int len, float[] a, float[] b, float[] y) {
        ElementwiseKernel.add(len, a, b, y);
    }

    @Override
    public void addInPlace(int len, float[] y, float[] x) {
        ElementwiseKernel.addInPlace(len, y, x);
    }

    @Override
    public void concatChannels(int n, int hw, int[] channels, float[][] inputs, float[] y) {
        LayoutKernel.concatChannels(n, hw, channels, inputs, y);
    }

    @Override
    public void splitChannels(int n, int hw, int[] channels, float[] y, float[][] outputs) {
        LayoutKernel.splitChannels(n, hw, channels, y, outputs);
    }

    @Override
    public void upsampleNearest(int n, int c, int h, int w, int scaleH, int scaleW, float[] x, float[] y) {
        UpsampleKernel.nearestForward(n, c, h, w, scaleH, scaleW, x, y);
    }

    @Override
    public void upsampleNearestBackward(int n, int c, int h, int w, int scaleH, int scaleW, float[] gy, float[] gx) {
        UpsampleKernel.nearestBackward(n, c, h, w, scaleH, scaleW, gy, gx);
    }

    @Override
    public void upsampleBilinear(int n, int c, int h, int w, int outH, int outW, float[] x, float[] y) {
        UpsampleKernel.bilinearForward(n, c, h, w, outH, outW, x, y);
    }

    @Override
    public void upsampleBilinearBackward(int n, int c, int h, int w, int outH, int outW, float[] gy, float[] gx) {
        UpsampleKernel.bilinearBackward(n, c, h, w, outH, outW, gy, gx);
    }
}
