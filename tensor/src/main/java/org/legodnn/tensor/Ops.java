package org.legodnn.tensor;

import java.util.Random;
import org.legodnn.tensor.ops.AddOp;
import org.legodnn.tensor.ops.AvgPool2dOp;
import org.legodnn.tensor.ops.BatchNorm2dOp;
import org.legodnn.tensor.ops.BceWithLogitsOp;
import org.legodnn.tensor.ops.ConcatOp;
import org.legodnn.tensor.ops.Conv2dOp;
import org.legodnn.tensor.ops.ConvTranspose2dOp;
import org.legodnn.tensor.ops.CrossEntropyOp;
import org.legodnn.tensor.ops.DropoutOp;
import org.legodnn.tensor.ops.ExpOp;
import org.legodnn.tensor.ops.GlobalAvgPoolOp;
import org.legodnn.tensor.ops.L1Op;
import org.legodnn.tensor.ops.LeakyReluOp;
import org.legodnn.tensor.ops.LinearOp;
import org.legodnn.tensor.ops.MatMulOp;
import org.legodnn.tensor.ops.MaxPool2dOp;
import org.legodnn.tensor.ops.MeanOp;
import org.legodnn.tensor.ops.MseOp;
import org.legodnn.tensor.ops.MulOp;
import org.legodnn.tensor.ops.Relu6Op;
import org.legodnn.tensor.ops.ReluOp;
import org.legodnn.tensor.ops.ReshapeOp;
import org.legodnn.tensor.ops.ScaleOp;
import org.legodnn.tensor.ops.SigmoidOp;
import org.legodnn.tensor.ops.SliceOp;
import org.legodnn.tensor.ops.SoftmaxOp;
import org.legodnn.tensor.ops.SubOp;
import org.legodnn.tensor.ops.SumOp;
import org.legodnn.tensor.ops.TanhOp;
import org.legodnn.tensor.ops.UpsampleBilinearOp;
import org.legodnn.tensor.ops.UpsampleNearestOp;

/**
 * Every differentiable op in one index, like {@code torch.nn.functional}: layers and losses call these, and
 * each one lives in its own file under {@code ops/} with its gradient beside it.
 */
public final class Ops {

    private Ops() {
    }

    // ---- arithmetic ---------------------------------------------------------------------------------------

    /** {@code a + b}, same shapes. */
    public static Tensor add(Tensor a, Tensor b) {
        return AddOp.apply(a, b);
    }

    /** {@code a - b}, same shapes. */
    public static Tensor sub(Tensor a, Tensor b) {
        return SubOp.apply(a, b);
    }

    /** {@code a * b} elementwise, same shapes. */
    public static Tensor mul(Tensor a, Tensor b) {
        return MulOp.apply(a, b);
    }

    /** {@code x * factor}. */
    public static Tensor scale(Tensor x, float factor) {
        return ScaleOp.apply(x, factor);
    }

    /** The sum of all values, a scalar. */
    public static Tensor sum(Tensor x) {
        return SumOp.apply(x);
    }

    /** The mean of all values, a scalar. */
    public static Tensor mean(Tensor x) {
        return MeanOp.apply(x);
    }

    /** A view with another shape and the same values (one dimension may be -1). */
    public static Tensor reshape(Tensor x, int... shape) {
        return ReshapeOp.apply(x, shape);
    }

    /** {@code [N, d1, d2, ...]} to {@code [N, d1·d2·...]}. */
    public static Tensor flatten(Tensor x) {
        return ReshapeOp.flatten(x);
    }

    /** Matrix product of {@code [m, k]} and {@code [k, n]}. */
    public static Tensor matmul(Tensor a, Tensor b) {
        return MatMulOp.apply(a, b);
    }

    // ---- layers -------------------------------------------------------------------------------------------

    /** {@code x·wᵀ + b} with {@code x [N, in]}, {@code w [out, in]}, {@code b [out]} or null. */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) {
        return LinearOp.apply(x, w, b);
    }

    /** 2-D convolution, PyTorch's {@code F.conv2d}; {@code b} may be null. */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor b, int strideH, int strideW, int padH, int padW,
                                int dilationH, int dilationW, int groups) {
        return Conv2dOp.apply(x, w, b, strideH, strideW, padH, padW, dilationH, dilationW, groups);
    }

    /** 2-D convolution with one stride, padding and dilation for both axes. */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor b, int stride, int padding, int dilation, int groups) {
        return conv2d(x, w, b, stride, stride, padding, padding, dilation, dilation, groups);
    }

    /** Transposed convolution, PyTorch's {@code F.conv_transpose2d}; {@code w} is {@code [Cin, Cout/groups, kh, kw]}. */
    public static Tensor convTranspose2d(Tensor x, Tensor w, Tensor b, int stride, int padding, int outputPadding,
                                         int dilation, int groups) {
        return ConvTranspose2dOp.apply(x, w, b, stride, padding, outputPadding, dilation, groups);
    }

    /**
     * BatchNorm over {@code [N, C, H, W]}. In training it normalizes with batch statistics and updates the
     * running ones in place (PyTorch's momentum convention, unbiased running variance); in eval it uses them.
     * {@code gamma}/{@code beta} may be null (affine=false).
     */
    public static Tensor batchNorm2d(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                     boolean training, float momentum, float eps) {
        return BatchNorm2dOp.apply(x, gamma, beta, runningMean, runningVar, training, momentum, eps);
    }

    public static Tensor relu(Tensor x) {
        return ReluOp.apply(x);
    }

    /** {@code x} where positive, {@code slope·x} elsewhere, as PyTorch's {@code F.leaky_relu}. */
    public static Tensor leakyRelu(Tensor x, float slope) {
        return LeakyReluOp.apply(x, slope);
    }

    public static Tensor relu6(Tensor x) {
        return Relu6Op.apply(x);
    }

    public static Tensor maxPool2d(Tensor x, int kernel, int stride, int padding, boolean ceilMode) {
        return MaxPool2dOp.apply(x, kernel, stride, padding, ceilMode);
    }

    public static Tensor avgPool2d(Tensor x, int kernel, int stride, int padding, boolean ceilMode,
                                   boolean countIncludePad) {
        return AvgPool2dOp.apply(x, kernel, stride, padding, ceilMode, countIncludePad);
    }

    /** {@code [N, C, H, W]} to {@code [N, C, 1, 1]}: PyTorch's {@code adaptive_avg_pool2d(x, 1)}. */
    public static Tensor globalAvgPool(Tensor x) {
        return GlobalAvgPoolOp.apply(x);
    }

    /** Concatenation along dimension 1 (channels) of tensors that agree elsewhere. */
    public static Tensor concat(Tensor... xs) {
        return ConcatOp.apply(xs);
    }

    /** Nearest-neighbour upsampling by an integer factor. */
    public static Tensor upsampleNearest(Tensor x, int scale) {
        return UpsampleNearestOp.apply(x, scale);
    }

    /** Bilinear resize to {@code outH × outW}, {@code align_corners=false}. */
    public static Tensor upsampleBilinear(Tensor x, int outH, int outW) {
        return UpsampleBilinearOp.apply(x, outH, outW);
    }

    /** Inverted dropout: in training, zeroes each value with probability {@code p} and scales the rest by 1/(1-p). */
    public static Tensor dropout(Tensor x, float p, boolean training, Random rnd) {
        return DropoutOp.apply(x, p, training, rnd);
    }

    /** Softmax along the last dimension. */
    public static Tensor softmax(Tensor x) {
        return SoftmaxOp.apply(x);
    }

    /** Softmax along {@code axis} (negative counts from the end), e.g. 1 for the channels of NCHW. */
    public static Tensor softmax(Tensor x, int axis) {
        return SoftmaxOp.apply(x, axis);
    }

    /** {@code 1 / (1 + e^-x)}. */
    public static Tensor sigmoid(Tensor x) {
        return SigmoidOp.apply(x);
    }

    public static Tensor tanh(Tensor x) {
        return TanhOp.apply(x);
    }

    /** {@code e^x}. */
    public static Tensor exp(Tensor x) {
        return ExpOp.apply(x);
    }

    // ---- indexing -----------------------------------------------------------------------------------------

    /**
     * {@code x[..., start:end:step, ...]} along {@code axis}, a copy: Python's indices (negative from the end,
     * clamped to the axis), {@code step ≥ 1}.
     */
    public static Tensor slice(Tensor x, int axis, int start, int end, int step) {
        return SliceOp.apply(x, axis, start, end, step);
    }

    /** {@code length} consecutive values from {@code start} along {@code axis}, as PyTorch's {@code narrow}. */
    public static Tensor narrow(Tensor x, int axis, int start, int length) {
        return SliceOp.narrow(x, axis, start, length);
    }

    // ---- losses -------------------------------------------------------------------------------------------

    /**
     * Mean cross-entropy of {@code logits [N, C]} against class indices, as PyTorch's {@code F.cross_entropy};
     * also of {@code [N, C, H, W]} against one class per pixel ({@code target[(n × H + y) × W + x]}).
     */
    public static Tensor crossEntropy(Tensor logits, int[] target) {
        return CrossEntropyOp.apply(logits, target);
    }

    /** Mean absolute error, as PyTorch's {@code F.l1_loss}. */
    public static Tensor l1(Tensor prediction, Tensor target) {
        return L1Op.apply(prediction, target);
    }

    /** Mean squared error, as PyTorch's {@code F.mse_loss}. */
    public static Tensor mse(Tensor prediction, Tensor target) {
        return MseOp.apply(prediction, target);
    }

    /**
     * The weighted sum of binary cross-entropies of {@code logits} against {@code target} (both any shape, the
     * same), as PyTorch's {@code F.binary_cross_entropy_with_logits(logits, target, weight=weight,
     * reduction="sum")}; no gradient flows into target or weight.
     */
    public static Tensor bceWithLogitsSum(Tensor logits, Tensor target, Tensor weight) {
        return BceWithLogitsOp.apply(logits, target, weight);
    }
}
