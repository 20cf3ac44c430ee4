package org.legodnn.nn.models;

/**
 * One layer of a PlainNet structure string (the notation of idstcv's GPU-Efficient-Networks, in which the
 * GENets are published), as plain data: {@link PlainNetParser} produces these and {@link GENet} builds
 * modules from them. Channel counts are those the string states; the model checks that they chain.
 */
public sealed interface PlainNetBlock {

    /** Channels this block takes. */
    int inChannels();

    /** Channels this block produces. */
    int outChannels();

    /** A block whose output has as many channels as its input. */
    sealed interface SameChannels extends PlainNetBlock {
        int channels();

        @Override
        default int inChannels() {
            return channels();
        }

        @Override
        default int outChannels() {
            return channels();
        }
    }

    /** {@code ConvKX(in,out,k,stride)}: a k×k convolution without bias, padding (k−1)/2. */
    record ConvKX(int inChannels, int outChannels, int kernel, int stride) implements PlainNetBlock {
    }

    /** {@code ConvDW(channels,k,stride)}: a depthwise k×k convolution without bias, padding (k−1)/2. */
    record ConvDW(int channels, int kernel, int stride) implements SameChannels {
    }

    /** {@code BN(channels)}: batch normalization. */
    record BN(int channels) implements SameChannels {
    }

    /** {@code RELU(channels)}. */
    record Relu(int channels) implements SameChannels {
    }

    /**
     * {@code SuperResKXKX|SuperResK1KXK1|SuperResK1DWK1(in,out,k,stride,expansion,sublayers)}: a stack of
     * {@code sublayers} residual units of the given {@link SuperResBlock.Kind}; only the first one changes
     * width and stride.
     */
    record SuperRes(SuperResBlock.Kind kind, int inChannels, int outChannels, int kernel, int stride, double expansion,
                    int sublayers) implements PlainNetBlock {
    }

    /** {@code AdaptiveAvgPool(channels,size)}: adaptive average pooling to size×size. */
    record AdaptiveAvgPool(int channels, int size) implements PlainNetBlock {
        @Override
        public int inChannels() {
            return channels;
        }

        @Override
        public int outChannels() {
            return channels * size * size;
        }
    }

    /** {@code Linear(in,out,bias)} with bias 1 or 0: a fully connected layer on the flattened input. */
    record Linear(int inChannels, int outChannels, boolean bias) implements PlainNetBlock {
    }
}
