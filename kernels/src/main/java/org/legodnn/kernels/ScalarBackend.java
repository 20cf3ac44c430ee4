package org.legodnn.kernels;

import org.legodnn.kernels.reference.QuantizeReference;

import org.legodnn.kernels.conv.ConvGeometry;
import org.legodnn.kernels.elementwise.LayoutKernel;
import org.legodnn.kernels.pool.PoolGeometry;
import org.legodnn.kernels.reference.BatchNormReference;
import org.legodnn.kernels.reference.ConvReference;
import org.legodnn.kernels.reference.ElementwiseReference;
import org.legodnn.kernels.reference.GemmReference;
import org.legodnn.kernels.reference.PoolReference;
import org.legodnn.kernels.reference.UpsampleReference;

/**
 * The CPU device without SIMD, so that the engine runs where the JDK's incubating Vector API is absent (Android,
 * GraalVM native images, a plain {@code java -jar} without {@code --add-modules=jdk.incubator.vector}): every
 * kernel is the plain scalar reference that the SIMD kernels are tested against ({@code kernels.reference}), on
 * the calling thread. Slower, never different: {@link Backends} picks it only when {@link Simd} is unavailable.
 */
public final class ScalarBackend implements Backend {

    @Override
    public String name() {
        return "cpu-scalar";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, boolean accumulate, float[] c, int cOff, int ldc) {
        GemmReference.sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc);
    }

    @Override
    public void conv2d(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y) {
        ConvReference.forward(g, x, w, bias, y);
    }

    @Override
    public void conv2dBackwardInput(ConvGeometry g, float[] gy, float[] w, float[] gx) {
        ConvReference.backwardInput(g, gy, w, gx);
    }

    @Override
    public void conv2dBackwardWeight(ConvGeometry g, float[] x, float[] gy, float[] gw) {
        ConvReference.backwardWeight(g, x, gy, gw);
    }

    @Override
    public void biasBackward(int n, int c, int hw, float[] gy, float[] gb) {
        ConvReference.backwardBias(n, c, hw, gy, gb);
    }

    @Override
    public void maxPool2d(PoolGeometry g, float[] x, float[] y, int[] argmax) {
        PoolReference.maxForward(g, x, y, argmax);
    }

    @Override
    public void maxPool2dBackward(PoolGeometry g, float[] gy, int[] argmax, float[] gx) {
        PoolReference.maxBackward(g, gy, argmax, gx);
    }

    @Override
    public void avgPool2d(PoolGeometry g, boolean countIncludePad, float[] x, float[] y) {
        PoolReference.avgForward(g, countIncludePad, x, y);
    }

    @Override
    public void avgPool2dBackward(PoolGeometry g, boolean countIncludePad, float[] gy, float[] gx) {
        PoolReference.avgBackward(g, countIncludePad, gy, gx);
    }

    @Override
    public void globalAvgPool(int n, int c, int hw, float[] x, float[] y) {
        PoolReference.globalAvgForward(n, c, hw, x, y);
    }

    @Override
    public void globalAvgPoolBackward(int n, int c, int hw, float[] gy, float[] gx) {
        PoolReference.globalAvgBackward(n, c, hw, gy, gx);
    }

    @Override
    public void batchNormTrain(int n, int c, int hw, float[] x, float[] gamma, float[] beta, float eps,
                               float[] y, float[] mean, float[] invStd) {
        BatchNormReference.trainForward(n, c, hw, x, gamma, beta, eps, y, mean, invStd);
    }

    @Override
    public void batchNormEval(int n, int c, int hw, float[] x, float[] gamma, float[] beta,
                              float[] runningMean, float[] runningVar, float eps, float[] y) {
        BatchNormReference.evalForward(n, c, hw, x, gamma, beta, runningMean, runningVar, eps, y);
    }

    @Override
    public void batchNormBackward(int n, int c, int hw, float[] x, float[] gy, float[] gamma, float[] mean,
                                  float[] invStd, boolean training, float[] gx, float[] gGamma, float[] gBeta) {
        BatchNormReference.backward(n, c, hw, x, gy, gamma, mean, invStd, training, gx, gGamma, gBeta);
    }

    @Override
    public void relu(int len, float[] x, float[] y) {
        ElementwiseReference.relu(len, x, y);
    }

    @Override
    public void reluBackward(int len, float[] x, float[] gy, float[] gx) {
        ElementwiseReference.reluBackward(len, x, gy, gx);
    }

    @Override
    public void fakeQuantize(float[] x, int off, int len, float scale, int zeroPoint, int min, int max, float[] y) {
        QuantizeReference.fakeQuantize(x, off, len, scale, zeroPoint, min, max, y);
    }

    @Override
    public void relu6(int len, float[] x, float[] y) {
        ElementwiseReference.relu6(len, x, y);
    }

    @Override
    public void relu6Backward(int len, float[] x, float[] gy, float[] gx) {
        ElementwiseReference.relu6Backward(len, x, gy, gx);
    }

    @Override
    public void exp(int len, float[] x, float[] y) {
        ElementwiseReference.exp(len, x, y);
    }

    @Override
    public void sigmoid(int len, float[] x, float[] y) {
        ElementwiseReference.sigmoid(len, x, y);
    }

    @Override
    public void tanh(int len, float[] x, float[] y) {
        ElementwiseReference.tanh(len, x, y);
    }

    @Override
    public void add(int len, float[] a, float[] b, float[] y) {
        ElementwiseReference.add(len, a, b, y);
    }

    @Override
    public void addInPlace(int len, float[] y, float[] x) {
        ElementwiseReference.addInPlace(len, y, x);
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
        UpsampleReference.nearestForward(n, c, h, w, scaleH, scaleW, x, y);
    }

    @Override
    public void upsampleNearestBackward(int n, int c, int h, int w, int scaleH, int scaleW, float[] gy, float[] gx) {
        UpsampleReference.nearestBackward(n, c, h, w, scaleH, scaleW, gy, gx);
    }

    @Override
    public void upsampleBilinear(int n, int c, int h, int w, int outH, int outW, float[] x, float[] y) {
        UpsampleReference.bilinearForward(n, c, h, w, outH, outW, x, y);
    }

    @Override
    public void upsampleBilinearBackward(int n, int c, int h, int w, int outH, int outW, float[] gy, float[] gx) {
        UpsampleReference.bilinearBackward(n, c, h, w, outH, outW, gy, gx);
    }
}
