package org.legodnn.kernels.elementwise;

/**
 * Channel concatenation and its inverse, for DenseNet/Inception-style joins and their gradients. In NCHW
 * an image's channels of one input are one contiguous run, so both directions are one
 * {@link System#arraycopy} per image per input.
 */
public final class LayoutKernel {

    private LayoutKernel() {
    }

    /** {@code y[i] = concat(inputs[0][i], inputs[1][i], ...)} for every image {@code i}; input k is {@code [n, channels[k], hw]}. */
    public static void concatChannels(int n, int hw, int[] channels, float[][] inputs, float[] y) {
        int total = check("concatChannels", n, hw, channels, inputs, y);
        for (int i = 0; i < n; i++) {
            int pos = i * total * hw;
            for (int k = 0; k < channels.length; k++) {
                int len = channels[k] * hw;
                System.arraycopy(inputs[k], i * len, y, pos, len);
                pos += len;
            }
        }
    }

    /** The inverse of {@link #concatChannels}: output k receives its {@code channels[k]} channels of each image. */
    public static void splitChannels(int n, int hw, int[] channels, float[] y, float[][] outputs) {
        int total = check("splitChannels", n, hw, channels, outputs, y);
        for (int i = 0; i < n; i++) {
            int pos = i * total * hw;
            for (int k = 0; k < channels.length; k++) {
                int len = channels[k] * hw;
                System.arraycopy(y, pos, outputs[k], i * len, len);
                pos += len;
            }
        }
    }

    /** Validates the shapes and returns the total channel count. */
    private static int check(String op, int n, int hw, int[] channels, float[][] parts, float[] y) {
        if (n < 1 || hw < 1 || channels.length == 0 || channels.length != parts.length) {
            throw new IllegalArgumentException(op + ": n " + n + " and hw " + hw + " must be positive and there must be one "
                    + "channel count per part, got " + channels.length + " counts for " + parts.length + " parts");
        }
        long total = 0;
        for (int k = 0; k < channels.length; k++) {
            if (channels[k] < 0) {
                throw new IllegalArgumentException(op + ": part " + k + " has " + channels[k] + " channels");
            }
            if (parts[k].length < (long) n * channels[k] * hw) {
                throw new IllegalArgumentException(op + ": part " + k + " [" + n + ", " + channels[k] + ", " + hw
                        + "] needs " + (long) n * channels[k] * hw + " elements, got " + parts[k].length);
            }
            total += channels[k];
        }
        if (y.length < n * total * hw) {
            throw new IllegalArgumentException(op + ": the concatenation [" + n + ", " + total + ", " + hw + "] needs "
                    + n * total * hw + " elements, got " + y.length);
        }
        return (int) total;
    }
}
