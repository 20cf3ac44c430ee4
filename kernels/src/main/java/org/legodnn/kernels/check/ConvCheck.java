package org.legodnn.kernels.check;

import java.util.Arrays;
import java.util.Random;

import org.legodnn.kernels.conv.ConvGeometry;
import org.legodnn.kernels.conv.ConvKernel;
import org.legodnn.kernels.conv.ConvTransposeKernel;
import org.legodnn.kernels.reference.ConvReference;

/**
 * Compares {@link ConvKernel} and {@link ConvTransposeKernel} (forward, input, weight and bias gradients)
 * with {@link ConvReference} on fixed shapes that reach every path (im2col, 1x1, depthwise with its SIMD
 * interior, the direct stride-1 path in both of its layouts, batch-parallel and per-image-parallel) and on
 * random shapes: odd channel counts, 1-pixel inputs, kernels up to 7x7, strides up to 3, padding up to 3,
 * dilation 2, groups and depthwise, unequal height and width settings, transposed convolutions with output
 * padding.
 */
public final class ConvCheck implements KernelCheck {

    private static final int[] CHANNELS = {1, 3, 5, 16, 17};
    private static final int[] SIZES = {1, 5, 7, 8, 13};
    private static final int[] KERNELS = {1, 3, 5, 7};
    private static final int RANDOM_CONVS = 60;
    private static final int RANDOM_TRANSPOSED = 25;

    @Override
    public String name() {
        return "conv2d";
    }

    @Override
    public void run(long seed) {
        Random rnd = new Random(seed);
        for (ConvGeometry g : fixedShapes()) {
            checkConv(g, rnd, rnd.nextBoolean());
        }
        for (int i = 0; i < RANDOM_CONVS; i++) {
            checkConv(randomGeometry(rnd), rnd, rnd.nextBoolean());
        }
        for (int i = 0; i < RANDOM_TRANSPOSED; i++) {
            checkRandomTransposed(rnd);
        }
    }

    /** Shapes chosen to reach each path and each parallel split, with rows longer than any vector. */
    public static ConvGeometry[] fixedShapes() {
        return new ConvGeometry[] {
            ConvGeometry.square(1, 3, 13, 13, 16, 3, 1, 1, 1, 1),     // im2col, batch 1
            ConvGeometry.square(4, 5, 9, 11, 6, 3, 1, 1, 1, 1),       // im2col, batch-parallel
            ConvGeometry.square(3, 16, 8, 8, 17, 3, 2, 1, 1, 1),      // strided, uneven batch
            ConvGeometry.square(2, 17, 7, 7, 16, 1, 1, 0, 1, 1),      // 1x1 straight on the input
            ConvGeometry.square(4, 16, 5, 6, 8, 1, 1, 0, 1, 2),       // grouped 1x1
            ConvGeometry.square(1, 8, 7, 7, 8, 1, 2, 0, 1, 1),        // strided 1x1: im2col
            ConvGeometry.square(2, 5, 6, 37, 5, 3, 1, 1, 1, 5),       // depthwise, SIMD interior
            ConvGeometry.square(1, 4, 9, 45, 8, 5, 1, 2, 2, 4),       // depthwise x2, dilated
            ConvGeometry.square(3, 6, 11, 29, 6, 5, 2, 2, 1, 6),      // depthwise, stride 2
            ConvGeometry.square(2, 1, 10, 33, 8, 3, 1, 0, 1, 1),      // one input channel: direct path
            ConvGeometry.square(1, 1, 9, 21, 5, 5, 1, 2, 1, 1),       // ... its outputs split over threads
            new ConvGeometry(2, 4, 8, 40, 4, 3, 5, 1, 1, 0, 2, 1, 2, 4), // depthwise, unequal axes
            new ConvGeometry(2, 6, 12, 10, 4, 5, 3, 2, 1, 3, 0, 2, 1, 2), // grouped, unequal axes
            ConvGeometry.square(4, 9, 12, 37, 13, 3, 1, 1, 1, 1),     // direct: runs along rows, the last partial
            new ConvGeometry(1, 6, 9, 10, 7, 5, 3, 1, 1, 2, 1, 1, 1, 1), // direct: one line, 15 taps, spread
            ConvGeometry.square(1, 64, 6, 6, 10, 3, 1, 1, 1, 1),      // direct: two depth blocks
            ConvGeometry.square(2, 8, 9, 9, 6, 3, 1, 2, 2, 2),        // direct: dilated, grouped
        };
    }

    /** A random valid geometry drawn from the shapes listed in the class comment. */
    public static ConvGeometry randomGeometry(Random rnd) {
        while (true) {
            int n = 1 + rnd.nextInt(3);
            int kind = rnd.nextInt(4);
            int groups;
            int cin;
            int cout;
            if (kind == 0) {
                groups = 1;
                cin = pick(rnd, CHANNELS);
                cout = pick(rnd, CHANNELS);
            } else if (kind == 1) {
                groups = rnd.nextBoolean() ? 2 : 4;
                cin = groups * (1 + rnd.nextInt(4));
                cout = groups * (1 + rnd.nextInt(4));
            } else {
                groups = pick(rnd, CHANNELS);
                cin = groups;
                cout = groups * (rnd.nextInt(3) == 0 ? 2 : 1);
            }
            int kh = pick(rnd, KERNELS);
            int kw = rnd.nextInt(4) == 0 ? pick(rnd, KERNELS) : kh;
            int sH = 1 + rnd.nextInt(3);
            int sW = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(3) : sH;
            int pH = rnd.nextInt(4);
            int pW = rnd.nextInt(4) == 0 ? rnd.nextInt(4) : pH;
            int dH = rnd.nextInt(4) == 0 ? 2 : 1;
            int dW = rnd.nextInt(4) == 0 ? 2 : dH;
            int h = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(20) : pick(rnd, SIZES);
            int w = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(20) : pick(rnd, SIZES);
            if (kind == 3) {
                kh = 1;
                kw = 1;
                sH = 1;
                sW = 1;
                pH = 0;
                pW = 0;
            }
            if (h + 2 * pH >= dH * (kh - 1) + 1 && w + 2 * pW >= dW * (kw - 1) + 1) {
                return new ConvGeometry(n, cin, h, w, cout, kh, kw, sH, sW, pH, pW, dH, dW, groups);
            }
        }
    }

    /** Runs all four convolution kernels on random data for {@code g} and compares them with the reference. */
    public static void checkConv(ConvGeometry g, Random rnd, boolean withBias) {
        float[] x = Compare.random(rnd, g.inputSize());
        float[] w = Compare.random(rnd, g.weightSize());
        float[] bias = withBias ? Compare.random(rnd, g.cout()) : null;
        float[] gy = Compare.random(rnd, g.outputSize());
        int ohw = g.outH() * g.outW();
        int taps = g.kh() * g.kw();

        float[] expected = new float[g.outputSize()];
        ConvReference.forward(g, x, w, bias, expected);
        float[] actual = nans(g.outputSize());
        ConvKernel.forward(g, x, w, bias, actual);
        close("conv2d forward " + g + (withBias ? " with bias" : ""), expected, actual, g.cinPerGroup() * taps);

        expected = new float[g.inputSize()];
        ConvReference.backwardInput(g, gy, w, expected);
        actual = nans(g.inputSize());
        ConvKernel.backwardInput(g, gy, w, actual);
        close("conv2d backward input " + g, expected, actual, g.coutPerGroup() * taps);

        expected = new float[g.weightSize()];
        ConvReference.backwardWeight(g, x, gy, expected);
        actual = nans(g.weightSize());
        ConvKernel.backwardWeight(g, x, gy, actual);
        close("conv2d backward weight " + g, expected, actual, g.n() * ohw);

        expected = new float[g.cout()];
        ConvReference.backwardBias(g.n(), g.cout(), ohw, gy, expected);
        actual = nans(g.cout());
        ConvKernel.backwardBias(g.n(), g.cout(), ohw, gy, actual);
        close("conv2d backward bias " + g, expected, actual, g.n() * ohw);
    }

    private static void checkRandomTransposed(Random rnd) {
        while (true) {
            int n = 1 + rnd.nextInt(3);
            int groups = rnd.nextInt(3) == 0 ? 2 : 1;
            int cin = groups * pick(rnd, new int[] {1, 3, 5, 8});
            int cout = rnd.nextInt(4) == 0 ? cin : groups * pick(rnd, new int[] {1, 3, 5, 8});
            if (rnd.nextInt(5) == 0) {
                groups = cin;
                cout = cin;
            }
            int kh = pick(rnd, KERNELS);
            int kw = rnd.nextInt(4) == 0 ? pick(rnd, KERNELS) : kh;
            int sH = 1 + rnd.nextInt(3);
            int sW = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(3) : sH;
            int pH = rnd.nextInt(4);
            int pW = rnd.nextInt(4) == 0 ? rnd.nextInt(4) : pH;
            int opH = rnd.nextInt(sH);
            int opW = rnd.nextInt(sW);
            int dH = rnd.nextInt(4) == 0 ? 2 : 1;
            int dW = rnd.nextInt(4) == 0 ? 2 : dH;
            int h = pick(rnd, SIZES);
            int w = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(16) : pick(rnd, SIZES);
            long outH = (long) (h - 1) * sH - 2L * pH + (long) dH * (kh - 1) + opH + 1;
            long outW = (long) (w - 1) * sW - 2L * pW + (long) dW * (kw - 1) + opW + 1;
            if (outH < 1 || outW < 1) {
                continue;
            }
            checkTransposed(n, cin, h, w, cout, kh, kw, sH, sW, pH, pW, opH, opW, dH, dW, groups, rnd);
            return;
        }
    }

    /**
     * Runs {@link ConvTransposeKernel} for one transposed convolution (PyTorch's parameters) and compares
     * the forward pass with PyTorch's definition and the gradients with the reference convolution.
     */
    public static void checkTransposed(int n, int cin, int h, int w, int cout, int kh, int kw,
                                       int sH, int sW, int pH, int pW, int opH, int opW, int dH, int dW,
                                       int groups, Random rnd) {
        ConvGeometry g = ConvTransposeKernel.geometry(n, cin, h, w, cout, kh, kw, sH, sW, pH, pW, opH, opW,
                dH, dW, groups);
        String what = "conv_transpose2d input [" + n + ", " + cin + ", " + h + ", " + w + "] out " + cout
                + " kernel " + kh + "x" + kw + " stride " + sH + "x" + sW + " pad " + pH + "x" + pW
                + " output_padding " + opH + "x" + opW + " dilation " + dH + "x" + dW + " groups " + groups;
        int taps = kh * kw;
        float[] x = Compare.random(rnd, g.outputSize());
        float[] wt = Compare.random(rnd, g.weightSize());
        float[] bias = rnd.nextBoolean() ? Compare.random(rnd, cout) : null;
        float[] gy = Compare.random(rnd, g.inputSize());

        float[] expected = new float[g.inputSize()];
        ConvReference.transposedForward(n, cin, h, w, cout, kh, kw, sH, sW, pH, pW, g.h(), g.w(), dH, dW, groups,
                x, wt, bias, expected);
        float[] actual = nans(g.inputSize());
        ConvTransposeKernel.forward(g, x, wt, bias, actual);
        close(what + " forward", expected, actual, (cin / groups) * taps);

        expected = new float[g.outputSize()];
        ConvReference.forward(g, gy, wt, null, expected);
        actual = nans(g.outputSize());
        ConvTransposeKernel.backwardInput(g, gy, wt, actual);
        close(what + " backward input", expected, actual, (cout / groups) * taps);

        expected = new float[g.weightSize()];
        ConvReference.backwardWeight(g, gy, x, expected);
        actual = nans(g.weightSize());
        ConvTransposeKernel.backwardWeight(g, x, gy, actual);
        close(what + " backward weight", expected, actual, n * h * w);

        expected = new float[cout];
        ConvReference.backwardBias(n, cout, g.h() * g.w(), gy, expected);
        actual = nans(cout);
        ConvTransposeKernel.backwardBias(g, gy, actual);
        close(what + " backward bias", expected, actual, n * g.h() * g.w());
    }

    /** Float sums of {@code reductionLength} products of values in [-1, 1] drift by about eps·length. */
    private static void close(String what, float[] expected, float[] actual, int reductionLength) {
        Compare.assertClose(what, expected, actual, 1e-4f, 1e-5f + 5e-7f * reductionLength);
    }

    private static float[] nans(int len) {
        float[] a = new float[len];
        Arrays.fill(a, Float.NaN);
        return a;
    }

    private static int pick(Random rnd, int[] values) {
        return values[rnd.nextInt(values.length)];
    }
}
