package org.legodnn.kernels.check;

import java.util.Arrays;
import java.util.Random;
import org.legodnn.kernels.conv.ConvGeometry;
import org.legodnn.kernels.conv.PackedConv;
import org.legodnn.kernels.gemm.GemmPacked;
import org.legodnn.kernels.gemm.GemmPackedColumns;
import org.legodnn.kernels.gemm.PackedMatrix;
import org.legodnn.kernels.reference.PackedConvReference;

/**
 * Compares the inference path with weights packed once ({@link GemmPacked}, {@link PackedConv}) with
 * {@link PackedConvReference}: products with several depth blocks, edge tiles and offsets, every epilogue
 * (bias or none, residual or none, no clamp, ReLU, ReLU6, an odd clamp), on {@link ConvCheck}'s fixed and
 * random geometries (im2col, 1x1, depthwise, grouped, strided, dilated, batch-parallel) and on layers with
 * few output positions, which multiply positions × weights.
 */
public final class PackedConvCheck implements KernelCheck {

    private static final int[] SIZES = {1, 2, 5, 6, 7, 17, 33, 49, 64, 100};
    private static final int[] DEPTHS = {1, 3, 9, 27, 64, 255, 256, 257, 600};
    /** The epilogues' clamps: none, ReLU, ReLU6 and an odd one. */
    static final float[][] CLAMPS = {
        {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY}, {0f, Float.POSITIVE_INFINITY}, {0f, 6f}, {-0.25f, 0.5f},
    };

    @Override
    public String name() {
        return "packed conv";
    }

    @Override
    public void run(long seed) {
        Random rnd = new Random(seed);
        for (int t = 0; t < 40; t++) {
            checkGemm(rnd, pick(rnd, SIZES), pick(rnd, SIZES), pick(rnd, DEPTHS));
        }
        for (ConvGeometry g : ConvCheck.fixedShapes()) {
            checkConv(g, rnd);
        }
        for (ConvGeometry g : fewPositions()) {
            checkConv(g, rnd);
        }
        for (int i = 0; i < 40; i++) {
            checkConv(ConvCheck.randomGeometry(rnd), rnd);
        }
    }

    /**
     * Deep layers with few output positions, which run positions × weights ({@code GemmPackedColumns}):
     * channel counts that are and are not a multiple of the kernel's width, a strided one, a 1x1 one, a
     * grouped one, one batch-parallel; all deep enough for several depth blocks. Their output planes (3×3
     * and 6×6) take that path whatever the micro-kernel's tile (6 or 12 rows) and vector width (4 to 16).
     */
    public static ConvGeometry[] fewPositions() {
        return new ConvGeometry[] {
            ConvGeometry.square(1, 256, 6, 6, 64, 3, 1, 1, 1, 1),
            ConvGeometry.square(1, 232, 3, 3, 40, 3, 1, 1, 1, 1),
            ConvGeometry.square(1, 256, 11, 11, 64, 3, 2, 1, 1, 1),
            ConvGeometry.square(1, 2100, 3, 3, 32, 1, 1, 0, 1, 1),
            ConvGeometry.square(1, 512, 6, 6, 64, 3, 1, 1, 1, 2),
            ConvGeometry.square(4, 256, 3, 3, 32, 3, 1, 1, 1, 1),
        };
    }

    /** One packed product with random offsets, padded leading dimensions and a random epilogue. */
    public static void checkGemm(Random rnd, int m, int n, int k) {
        float[] clamp = CLAMPS[rnd.nextInt(CLAMPS.length)];
        checkGemm(rnd, m, n, k, rnd.nextBoolean(), rnd.nextBoolean(), clamp[0], clamp[1]);
    }

    /** One packed product with random offsets and padded leading dimensions, and the epilogue given. */
    public static void checkGemm(Random rnd, int m, int n, int k, boolean withBias, boolean withResidual, float lo,
                                 float hi) {
        int lda = k + rnd.nextInt(3);
        int ldb = n + rnd.nextInt(3);
        int ldc = n + rnd.nextInt(3);
        int aOff = rnd.nextInt(4);
        int bOff = rnd.nextInt(4);
        int cOff = rnd.nextInt(4);
        int resOff = rnd.nextInt(4);
        int biasOff = rnd.nextInt(3);
        float[] a = Compare.random(rnd, aOff + (m - 1) * lda + k);
        float[] b = Compare.random(rnd, bOff + (k - 1) * ldb + n);
        float[] bias = withBias ? Compare.random(rnd, biasOff + m) : null;
        float[] res = withResidual ? Compare.random(rnd, resOff + (m - 1) * ldc + n) : null;
        float[] clamp = {lo, hi};
        float[] c0 = Compare.random(rnd, cOff + (m - 1) * ldc + n + rnd.nextInt(3));
        float[] expected = c0.clone();
        float[] actual = c0.clone();
        PackedConvReference.gemm(m, n, k, a, aOff, lda, b, bOff, ldb, expected, cOff, ldc, bias, biasOff, res,
                resOff, clamp[0], clamp[1]);
        GemmPacked.multiply(PackedMatrix.pack(m, k, a, aOff, lda), n, b, bOff, ldb, actual, cOff, ldc, bias, biasOff,
                res, resOff, clamp[0], clamp[1]);
        String what = "packed gemm m=" + m + " n=" + n + " k=" + k + " offsets " + aOff + "/" + bOff + "/" + cOff
                + " ld " + lda + "/" + ldb + "/" + ldc + " bias " + (bias != null) + " residual " + (res != null)
                + " clamp " + Arrays.toString(clamp);
        // C's padding between rows is kept: the comparison covers the whole array.
        Compare.assertClose(what, expected, actual, 1e-4f, 1e-6f * (k + 1) + 1e-6f);
    }

    /** One fused convolution on random data with a random epilogue. */
    public static void checkConv(ConvGeometry g, Random rnd) {
        float[] x = Compare.random(rnd, g.inputSize());
        float[] w = Compare.random(rnd, g.weightSize());
        float[] bias = rnd.nextBoolean() ? Compare.random(rnd, g.cout()) : null;
        float[] res = rnd.nextBoolean() ? Compare.random(rnd, g.outputSize()) : null;
        float[] clamp = CLAMPS[rnd.nextInt(CLAMPS.length)];
        float[] expected = new float[g.outputSize()];
        PackedConvReference.forward(g, x, w, bias, res, clamp[0], clamp[1], expected);
        float[] actual = new float[g.outputSize()];
        Arrays.fill(actual, Float.NaN);
        PackedConv.of(w, g.cout(), g.cinPerGroup(), g.kh(), g.kw(), g.groups(), bias, clamp[0], clamp[1])
                .forward(g, x, res, actual);
        int reduction = g.cinPerGroup() * g.kh() * g.kw();
        Compare.assertClose("packed conv " + g + " bias " + (bias != null) + " residual " + (res != null) + " clamp "
                + Arrays.toString(clamp), expected, actual, 1e-4f, 1e-5f + 5e-7f * reduction);
    }

    private static int pick(Random rnd, int[] values) {
        return values[rnd.nextInt(values.length)];
    }
}
