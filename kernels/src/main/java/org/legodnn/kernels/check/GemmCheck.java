package org.legodnn.kernels.check;

import java.util.Random;
import org.legodnn.kernels.gemm.Gemm;
import org.legodnn.kernels.reference.GemmReference;

/**
 * Compares {@link Gemm#sgemm} with {@link GemmReference} on odd shapes, every transpose variant, both
 * accumulate modes, offsets and padded leading dimensions, so that packing, edge tiles and the small-size
 * path are all exercised, and C's padding is checked to stay untouched.
 */
public final class GemmCheck implements KernelCheck {

    private static final int[] SIZES = {1, 2, 3, 7, 8, 9, 15, 17, 31, 33, 64, 65, 100, 257};

    private static final int[][] FIXED_SHAPES = {
        {1, 1, 1}, {0, 5, 3}, {4, 0, 2}, {5, 6, 0}, {7, 9, 15}, {17, 33, 8}, {65, 31, 100},
        {64, 64, 64}, {100, 65, 257}, {3, 257, 17}, {257, 7, 33}, {33, 100, 600},
    };

    @Override
    public String name() {
        return "gemm";
    }

    @Override
    public void run(long seed) {
        Random rnd = new Random(seed);
        for (int[] s : FIXED_SHAPES) {
            for (int variant = 0; variant < 8; variant++) {
                runCase(rnd, (variant & 1) != 0, (variant & 2) != 0, s[0], s[1], s[2], (variant & 4) != 0);
            }
        }
        for (int t = 0; t < 60; t++) {
            int m = SIZES[rnd.nextInt(SIZES.length)];
            int n = SIZES[rnd.nextInt(SIZES.length)];
            int k = SIZES[rnd.nextInt(SIZES.length)];
            runCase(rnd, rnd.nextBoolean(), rnd.nextBoolean(), m, n, k, rnd.nextBoolean());
        }
    }

    /**
     * One comparison on random data: random offsets (0..4) and leading dimensions up to 3 floats wider
     * than a row, C pre-filled with random values (kept when {@code accumulate}, and in its padding).
     */
    public static void runCase(Random rnd, boolean transA, boolean transB, int m, int n, int k,
                               boolean accumulate) {
        int aRows = transA ? k : m;
        int aCols = transA ? m : k;
        int bRows = transB ? n : k;
        int bCols = transB ? k : n;
        int lda = aCols + rnd.nextInt(4);
        int ldb = bCols + rnd.nextInt(4);
        int ldc = n + rnd.nextInt(4);
        int aOff = rnd.nextInt(5);
        int bOff = rnd.nextInt(5);
        int cOff = rnd.nextInt(5);
        float[] a = Compare.random(rnd, aOff + aRows * lda);
        float[] b = Compare.random(rnd, bOff + bRows * ldb);
        float[] c0 = Compare.random(rnd, cOff + m * ldc + rnd.nextInt(3));
        float[] expected = c0.clone();
        float[] actual = c0.clone();
        GemmReference.sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, expected, cOff, ldc);
        Gemm.sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, actual, cOff, ldc);
        String what = "sgemm transA=" + transA + " transB=" + transB + " m=" + m + " n=" + n + " k=" + k
                + " offsets=" + aOff + "/" + bOff + "/" + cOff + " ld=" + lda + "/" + ldb + "/" + ldc
                + " accumulate=" + accumulate;
        // Inputs in [-1, 1): a float sum of k products drifts by about k·ulp, so the absolute slack grows with k.
        Compare.assertClose(what, expected, actual, 1e-4f, 1e-6f * (k + 1));
    }
}
