package org.legodnn.kernels;

import org.legodnn.kernels.conv.ConvGeometry;
import org.legodnn.kernels.conv.PackedConv;
import org.legodnn.kernels.pool.PoolGeometry;

/**
 * The seam between the tensor ops and the hardware: every op reaches its kernels only through this
 * interface, so another backend (OpenCL) plugs in without touching the ops. Arrays are dense, row-major,
 * NCHW for activations; outputs are overwritten unless a method says it accumulates.
 */
public interface Backend {

    /** A short name for messages and reports, e.g. {@code "cpu"}. */
    String name();

    /**
     * Whether this is the SIMD CPU device, whose prepared kernels ({@link PackedConv}) a compiled graph may use
     * in place of the calls below.
     */
    default boolean vectorized() {
        return false;
    }

    // ---- matrix multiply -------------------------------------------------------------------------------

    /**
     * {@code C = op(A)·op(B)} (or {@code C += ...} when {@code accumulate}), where {@code op(A)} is
     * {@code m×k} and {@code op(B)} is {@code k×n}. A transposed operand is stored as its transpose
     * (row-major with its own leading dimension), exactly as BLAS's row-major {@code sgemm}.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
              boolean accumulate, float[] c, int cOff, int ldc);

    // ---- convolution -----------------------------------------------------------------------------------

    /** {@code y = conv2d(x, w) + bias}; {@code bias} may be null. */
    void conv2d(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y);

    /** The gradient of the input: {@code gx = conv2d}ᵀ{@code (gy)}; also a transposed convolution's forward. */
    void conv2dBackwardInput(ConvGeometry g, float[] gy, float[] w, float[] gx);

    /** The gradient of the weight, overwritten into {@code gw} ({@code [cout, cin/groups, kh, kw]}). */
    void conv2dBackwardWeight(ConvGeometry g, float[] x, float[] gy, float[] gw);

    /** The gradient of a per-channel bias: {@code gb[c] = Σ gy[n, c, :]}, overwritten. */
    void biasBackward(int n, int c, int hw, float[] gy, float[] gb);

    // ---- pooling ---------------------------------------------------------------------------------------

    /** Max pooling; when {@code argmax} is not null it receives, per output, the flat input index chosen. */
    void maxPool2d(PoolGeometry g, float[] x, float[] y, int[] argmax);

    /** Scatters {@code gy} to the positions recorded by {@link #maxPool2d}; overwrites {@code gx}. */
    void maxPool2dBackward(PoolGeometry g, float[] gy, int[] argmax, float[] gx);

    void avgPool2d(PoolGeometry g, boolean countIncludePad, float[] x, float[] y);

    void avgPool2dBackward(PoolGeometry g, boolean countIncludePad, float[] gy, float[] gx);

    /** {@code y[n, c] = mean(x[n, c, :])}. */
    void globalAvgPool(int n, int c, int hw, float[] x, float[] y);

    void globalAvgPoolBackward(int n, int c, int hw, float[] gy, float[] gx);

    // ---- batch normalization ---------------------------------------------------------------------------

    /**
     * Training-mode BatchNorm over {@code (n, h, w)} per channel: normalizes with the batch statistics and
     * writes the batch mean and {@code 1/sqrt(biased variance + eps)} to {@code mean} and {@code invStd}.
     * The running statistics are the caller's business.
     */
    void batchNormTrain(int n, int c, int hw, float[] x, float[] gamma, float[] beta, float eps,
                        float[] y, float[] mean, float[] invStd);

    /** Inference-mode BatchNorm with the running statistics. */
    void batchNormEval(int n, int c, int hw, float[] x, float[] gamma, float[] beta,
                       float[] runningMean, float[] runningVar, float eps, float[] y);

    /**
     * BatchNorm backward. With {@code training}, {@code mean}/{@code invStd} are the batch statistics and the
     * gradient flows through them; without, they are the running mean and {@code 1/sqrt(running_var + eps)},
     * computed by the caller, and act as constants. {@code gamma}/{@code beta} null means affine=false.
     * {@code gx}, {@code gGamma} and {@code gBeta} are overwritten.
     */
    void batchNormBackward(int n, int c, int hw, float[] x, float[] gy, float[] gamma,
                           float[] mean, float[] invStd, boolean training,
                           float[] gx, float[] gGamma, float[] gBeta);

    // ---- elementwise -----------------------------------------------------------------------------------

    void relu(int len, float[] x, float[] y);

    /** {@code gx = x > 0 ? gy : 0}. */
    void reluBackward(int len, float[] x, float[] gy, float[] gx);

    void relu6(int len, float[] x, float[] y);

    /** {@code gx = 0 < x < 6 ? gy : 0}. */
    void relu6Backward(int len, float[] x, float[] gy, float[] gx);

    /**
     * ONNX's QuantizeLinear then DequantizeLinear on 8-bit levels {@code [min, max]}:
     * {@code y[i] = (clamp(rint(x[i] / scale) + zeroPoint, min, max) - zeroPoint)·scale} for {@code i} in
     * {@code [off, off + len)}; {@code y} may be {@code x}.
     */
    void fakeQuantize(float[] x, int off, int len, float scale, int zeroPoint, int min, int max, float[] y);

    /** {@code y = e^x}. */
    void exp(int len, float[] x, float[] y);

    /** {@code y = 1 / (1 + e^-x)}. */
    void sigmoid(int len, float[] x, float[] y);

    void tanh(int len, float[] x, float[] y);

    /** {@code y = a + b}. */
    void add(int len, float[] a, float[] b, float[] y);

    /** {@code y += x}: gradient accumulation. */
    void addInPlace(int len, float[] y, float[] x);

    // ---- layout ----------------------------------------------------------------------------------------

    /** Concatenates along channels: input {@code i} is {@code [n, channels[i], hw]}. */
    void concatChannels(int n, int hw, int[] channels, float[][] inputs, float[] y);

    /** The inverse of {@link #concatChannels}: splits {@code y} into the {@code outputs}. */
    void splitChannels(int n, int hw, int[] channels, float[] y, float[][] outputs);

    /** Nearest-neighbour upsampling by integer factors (PyTorch's {@code mode="nearest"}). */
    void upsampleNearest(int n, int c, int h, int w, int scaleH, int scaleW, float[] x, float[] y);

    void upsampleNearestBackward(int n, int c, int h, int w, int scaleH, int scaleW, float[] gy, float[] gx);

    /** Bilinear resize to {@code outH × outW} with {@code align_corners=false}, as PyTorch. */
    void upsampleBilinear(int n, int c, int h, int w, int outH, int outW, float[] x, float[] y);

    void upsampleBilinearBackward(int n, int c, int h, int w, int outH, int outW, float[] gy, float[] gx);
}
