package org.legodnn.nn;

import java.util.Random;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/**
 * A transposed (fractionally strided) convolution, as PyTorch's {@code nn.ConvTranspose2d}, for decoders that
 * upsample with learned weights. Its weight is {@code [in, out/groups, k, k]}; PyTorch's default init takes
 * fan_in from that layout's second dimension: bound = 1/√((out/groups)·k²).
 */
public final class ConvTranspose2d extends Module {

    private final int inChannels;
    private final int outChannels;
    private final int kernelSize;
    private final int stride;
    private final int padding;
    private final int outputPadding;
    private final int dilation;
    private final int groups;
    private final Tensor weight;
    private final Tensor bias;

    /** A transposed convolution with bias, no output padding, dilation 1 and one group. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, kernelSize, stride, padding, 0, 1, 1, true, Init.defaultRandom());
    }

    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int outputPadding,
                           int dilation, int groups, boolean bias, Random rnd) {
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0 || stride <= 0 || padding < 0 || dilation <= 0
                || groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0 || outputPadding < 0
                || (outputPadding >= stride && outputPadding >= dilation)) {
            throw new IllegalArgumentException("ConvTranspose2d: invalid configuration in=" + inChannels + " out="
                    + outChannels + " kernel=" + kernelSize + " stride=" + stride + " padding=" + padding
                    + " output_padding=" + outputPadding + " dilation=" + dilation + " groups=" + groups
                    + " (expected positive sizes, channels divisible by groups, output_padding < stride or dilation)");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.outputPadding = outputPadding;
        this.dilation = dilation;
        this.groups = groups;
        this.weight = registerParameter("weight", Tensor.zeros(inChannels, outChannels / groups, kernelSize, kernelSize));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(outChannels)) : null;
        Init.pytorchDefault(weight, this.bias, rnd);
    }

    @Override
    public Tensor forward(Tensor x) {
        return Ops.convTranspose2d(x, weight, bias, stride, padding, outputPadding, dilation, groups);
    }

    public Tensor weight() {
        return weight;
    }

    /** The bias, or null when the layer has none. */
    public Tensor bias() {
        return bias;
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public int kernelSize() {
        return kernelSize;
    }

    public int stride() {
        return stride;
    }

    public int padding() {
        return padding;
    }

    public int outputPadding() {
        return outputPadding;
    }

    public int dilation() {
        return dilation;
    }

    public int groups() {
        return groups;
    }
}
