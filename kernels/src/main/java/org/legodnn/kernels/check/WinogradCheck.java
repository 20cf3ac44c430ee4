package org.legodnn.kernels.check;

import java.util.Arrays;
import java.util.Random;
import org.legodnn.kernels.conv.ConvGeometry;
import org.legodnn.kernels.conv.ConvWinograd;
import org.legodnn.kernels.Parallel;
import org.legodnn.kernels.reference.PackedConvReference;
import org.legodnn.kernels.reference.WinogradReference;

/**
 * Compares {@link ConvWinograd} with {@link WinogradReference} (the same algorithm in plain loops) on
 * output sizes that are and are not multiples of the 4×4 tile, tiles fewer than a vector, paddings 0 to 2,
 * several images, channel counts across the micro-kernel's edges and depth blocks, every epilogue, on one
 * and on all threads; and {@link WinogradReference} with the direct definition
 * ({@link PackedConvReference}), which it matches only up to Winograd's larger float32 rounding.
 */
public final class WinogradCheck implements KernelCheck {

    @Override
    public String name() {
        return "winograd conv";
    }

    @Override
    public void run(long seed) {
        Random rnd = new Random(seed);
        for (ConvGeometry g : fixedShapes()) {
            check(g, rnd);
        }
        for (int i = 0; i < 30; i++) {
            check(randomGeometry(rnd), rnd);
        }
        int threads = Parallel.threads();
        try {
            Parallel.setThreads(1);
            check(ConvGeometry.square(2, 9, 13, 11, 7, 3, 1, 1, 1, 1), rnd);
        } finally {
            Parallel.setThreads(threads);
        }
    }

    /**
     * Shapes at the kernel's edges: one tile, a partial tile, exactly whole tiles, the ResNet paddings,
     * deep inputs (two depth blocks), many tiles (several blocks).
     */
    public static ConvGeometry[] fixedShapes() {
        return new ConvGeometry[] {
            ConvGeometry.square(1, 1, 3, 3, 1, 3, 1, 0, 1, 1),
            ConvGeometry.square(1, 1, 1, 1, 1, 3, 1, 1, 1, 1),
            ConvGeometry.square(1, 3, 4, 4, 2, 3, 1, 1, 1, 1),
            ConvGeometry.square(1, 8, 8, 8, 8, 3, 1, 1, 1, 1),
            ConvGeometry.square(3, 5, 7, 9, 6, 3, 1, 1, 1, 1),
            ConvGeometry.square(1, 4, 10, 6, 3, 3, 1, 2, 1, 1),
            ConvGeometry.square(1, 300, 6, 6, 13, 3, 1, 1, 1, 1),
            ConvGeometry.square(1, 16, 32, 32, 16, 3, 1, 1, 1, 1),
            ConvGeometry.square(2, 32, 28, 28, 40, 3, 1, 1, 1, 1),
            new ConvGeometry(1, 6, 9, 14, 5, 3, 3, 1, 1, 0, 1, 1, 1, 1),
        };
    }

    /** A random 3×3 stride-1 geometry with small odd sizes. */
    public static ConvGeometry randomGeometry(Random rnd) {
        int pad = rnd.nextInt(3);
        int h = 1 + rnd.nextInt(20);
        int w = 1 + rnd.nextInt(20);
        h = Math.max(h, 3 - 2 * pad);
        w = Math.max(w, 3 - 2 * pad);
        return new ConvGeometry(1 + rnd.nextInt(3), 1 + rnd.nextInt(24), h, w, 1 + rnd.nextInt(24), 3, 3, 1, 1,
                pad, pad, 1, 1, 1);
    }

    /** One convolution on random data with a random epilogue, against both references. */
    public static void check(ConvGeometry g, Random rnd) {
        float[] x = Compare.random(rnd, g.inputSize());
        float[] w = Compare.random(rnd, g.weightSize());
        float[] bias = rnd.nextBoolean() ? Compare.random(rnd, g.cout()) : null;
        float[] res = rnd.nextBoolean() ? Compare.random(rnd, g.outputSize()) : null;
        float[] clamp = PackedConvCheck.CLAMPS[rnd.nextInt(PackedConvCheck.CLAMPS.length)];
        float[] expected = new float[g.outputSize()];
        WinogradReference.forward(g, x, w, bias, res, clamp[0], clamp[1], expected);
        float[] actual = new float[g.outputSize()];
        Arrays.fill(actual, Float.NaN);
        ConvWinograd.of(w, g.cout(), g.cin()).forward(g, x, bias, res, clamp[0], clamp[1], actual);
        String what = "winograd conv " + g + " bias " + (bias != null) + " residual " + (res != null) + " clamp "
                + Arrays.toString(clamp);
        Compare.assertClose(what, expected, actual, 1e-4f, tolerance(g, 1e-6f));
        float[] direct = new float[g.outputSize()];
        PackedConvReference.forward(g, x, w, bias, res, clamp[0], clamp[1], direct);
        Compare.assertClose(what + " (reference against the direct convolution)", direct, expected, 1e-4f,
                tolerance(g, 4e-6f));
    }

    /**
     * The absolute tolerance for inputs and weights in [-1, 1): {@code scale} times the square root of the
     * reduction (how the error of a sum of random terms grows), times the transforms' largest gain.
     */
    private static float tolerance(ConvGeometry g, float scale) {
        return scale * 64f * (float) Math.sqrt(g.cin() * 9.0) + 1e-6f;
    }
}
