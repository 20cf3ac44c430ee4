package org.legodnn.kernels.conv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.legodnn.kernels.Parallel;

/**
 * 2-D convolution forward and backward, the engine's hot path: checks the arrays once and picks the
 * fastest of three paths for the geometry.
 *
 * <ul>
 *   <li>one input channel per group (depthwise): direct SIMD loops, {@link ConvDepthwise};</li>
 *   <li>1x1, stride 1, no padding: a matrix product straight on the input, {@link ConvGemm};</li>
 *   <li>everything else: im2col into a per-thread buffer, then a matrix product, {@link ConvGemm}.</li>
 * </ul>
 *
 * Layout is NCHW, weights {@code [cout, cin/groups, kh, kw]}, as PyTorch; outputs are overwritten.
 * {@link org.legodnn.kernels.reference.ConvReference} is the plain definition these are checked against.
 */
public final class ConvKernel {

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private ConvKernel() {
    }

    /** {@code y = conv2d(x, w) + bias}; {@code bias} ({@code [cout]}) may be null. */
    public static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y) {
        require("conv2d", "input", x, g.inputSize(), g);
        require("conv2d", "weight", w, g.weightSize(), g);
        require("conv2d", "output", y, g.outputSize(), g);
        if (bias != null) {
            require("conv2d", "bias", bias, g.cout(), g);
        }
        if (ConvDepthwise.applies(g)) {
            ConvDepthwise.forward(g, x, w, bias, y);
        } else {
            ConvGemm.forward(g, x, w, bias, y);
        }
    }

    /** {@code gx = conv2d}ᵀ{@code (gy)}, the gradient of the input; overwrites {@code gx}. */
    public static void backwardInput(ConvGeometry g, float[] gy, float[] w, float[] gx) {
        require("conv2d backward input", "output gradient", gy, g.outputSize(), g);
        require("conv2d backward input", "weight", w, g.weightSize(), g);
        require("conv2d backward input", "input gradient", gx, g.inputSize(), g);
        if (ConvDepthwise.applies(g)) {
            ConvDepthwise.backwardInput(g, gy, w, gx);
        } else {
            ConvGemm.backwardInput(g, gy, w, gx);
        }
    }

    /** The gradient of the weight, summed over the batch and overwritten into {@code gw}. */
    public static void backwardWeight(ConvGeometry g, float[] x, float[] gy, float[] gw) {
        require("conv2d backward weight", "input", x, g.inputSize(), g);
        require("conv2d backward weight", "output gradient", gy, g.outputSize(), g);
        require("conv2d backward weight", "weight gradient", gw, g.weightSize(), g);
        if (ConvDepthwise.applies(g)) {
            ConvDepthwise.backwardWeight(g, x, gy, gw);
        } else {
            ConvGemm.backwardWeight(g, x, gy, gw);
        }
    }

    /** {@code gb[c] = Σ gy[n, c, :]} over {@code gy} of shape {@code [n, c, hw]}; overwrites {@code gb}. */
    public static void backwardBias(int n, int c, int hw, float[] gy, float[] gb) {
        if (n < 1 || c < 1 || hw < 1) {
            throw new IllegalArgumentException("conv2d backward bias: sizes must be positive, got n=" + n
                    + ", c=" + c + ", hw=" + hw);
        }
        if (gy.length < (long) n * c * hw || gb.length < c) {
            throw new IllegalArgumentException("conv2d backward bias: expected output gradient of at least "
                    + ((long) n * c * hw) + " floats [" + n + ", " + c + ", " + hw + "] and bias gradient of "
                    + c + ", got " + gy.length + " and " + gb.length);
        }
        Parallel.forRange(c, Math.max(1, (1 << 15) / Math.max(1, n * hw)), (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                float s = 0f;
                for (int img = 0; img < n; img++) {
                    s += sum(gy, (img * c + ch) * hw, hw);
                }
                gb[ch] = s;
            }
        });
    }

    private static float sum(float[] a, int off, int len) {
        int i = 0;
        int bound = SPECIES.loopBound(len);
        float s = 0f;
        if (bound > 0) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (; i < bound; i += SPECIES.length()) {
                acc = acc.add(FloatVector.fromArray(SPECIES, a, off + i));
            }
            s = acc.reduceLanes(VectorOperators.ADD);
        }
        for (; i < len; i++) {
            s += a[off + i];
        }
        return s;
    }

    private static void require(String op, String what, float[] a, int size, ConvGeometry g) {
        if (a == null || a.length < size) {
            throw new IllegalArgumentException(op + ": " + what + " needs " + size + " floats for " + g
                    + ", got " + (a == null ? "null" : a.length));
        }
    }
}
