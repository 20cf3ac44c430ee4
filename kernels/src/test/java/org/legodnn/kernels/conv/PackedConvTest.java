package org.legodnn.kernels.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.legodnn.kernels.Parallel;
import org.legodnn.kernels.check.PackedConvCheck;
import org.legodnn.kernels.gemm.Gemm;
import org.legodnn.kernels.gemm.GemmMicroKernel;

class PackedConvTest {

    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @Test
    void matchesReferenceOnOneThread() {
        Parallel.setThreads(1);
        new PackedConvCheck().run(1);
    }

    @Test
    void matchesReferenceOnTwoThreads() {
        Parallel.setThreads(2);
        new PackedConvCheck().run(2);
    }

    @Test
    void manyDepthAndColumnBlocksInParallel() {
        Parallel.setThreads(2);
        Random rnd = new Random(4);
        PackedConvCheck.checkGemm(rnd, 70, 45, 3 * GemmMicroKernel.KC + 7);
        PackedConvCheck.checkGemm(rnd, 13, Gemm.NC + 37, 40);
        // ResNet-like layers: a 3x3 conv with a residual and ReLU, a strided one, a batch that runs image-parallel.
        PackedConvCheck.checkConv(ConvGeometry.square(1, 64, 14, 14, 64, 3, 1, 1, 1, 1), rnd);
        PackedConvCheck.checkConv(ConvGeometry.square(1, 32, 15, 15, 48, 3, 2, 1, 1, 1), rnd);
        PackedConvCheck.checkConv(ConvGeometry.square(4, 16, 8, 8, 16, 3, 1, 1, 1, 1), rnd);
    }

    @Test
    void linearProductsTakeTheirBiasInTheKernel() {
        // A bias with no residual and no clamp is added by the micro-kernel in the first depth block (full tiles)
        // and by the epilogue (edge tiles): one and several depth blocks, edge rows and columns, both thread counts.
        Random rnd = new Random(7);
        float inf = Float.POSITIVE_INFINITY;
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            for (int[] s : new int[][] {{16, 12544 / 8, 32}, {17, 49, 960}, {96, 64, 2 * GemmMicroKernel.KC + 9},
                    {5, 33, 7}}) {
                PackedConvCheck.checkGemm(rnd, s[0], s[1], s[2], true, false, -inf, inf);
                PackedConvCheck.checkGemm(rnd, s[0], s[1], s[2], false, false, -inf, inf);
            }
        }
    }

    @Test
    void largeImagesSplitBetweenThreads() {
        Parallel.setThreads(2);
        Random rnd = new Random(5);
        // By bands of rows (one with column phases, one grouped), and by channels (few rows; both orientations).
        PackedConvCheck.checkConv(ConvGeometry.square(1, 16, 64, 64, 32, 7, 2, 3, 1, 1), rnd);
        PackedConvCheck.checkConv(ConvGeometry.square(1, 64, 16, 16, 64, 3, 1, 1, 1, 2), rnd);
        PackedConvCheck.checkConv(ConvGeometry.square(1, 96, 40, 40, 48, 1, 1, 0, 1, 1), rnd);
        PackedConvCheck.checkConv(ConvGeometry.square(1, 256, 7, 7, 128, 3, 1, 1, 1, 1), rnd);
        PackedConvCheck.checkConv(ConvGeometry.square(1, 128, 6, 6, 160, 3, 1, 1, 1, 1), rnd);
    }

    @Test
    void fewPositionsRunPositionsFirst() {
        // ResNet-18's 7x7 and 14x14 stages multiply positions × weights; its 56x56 stage does not.
        org.junit.jupiter.api.Assertions.assertTrue(PackedConv.positionsFirst(512, 7 * 7, 512 * 9));
        org.junit.jupiter.api.Assertions.assertTrue(PackedConv.positionsFirst(256, 14 * 14, 256 * 9));
        org.junit.jupiter.api.Assertions.assertFalse(PackedConv.positionsFirst(64, 56 * 56, 64 * 9));
        // Shallow products (a 3-channel stem, MobileNet's 1x1 convolutions) never do.
        org.junit.jupiter.api.Assertions.assertFalse(PackedConv.positionsFirst(64, 7 * 7, 27));
        org.junit.jupiter.api.Assertions.assertFalse(PackedConv.positionsFirst(576, 14 * 14, 96));
        // The check's shapes for that path do take it.
        for (ConvGeometry g : PackedConvCheck.fewPositions()) {
            org.junit.jupiter.api.Assertions.assertTrue(PackedConv.positionsFirst(g.coutPerGroup(),
                    g.outH() * g.outW(), g.cinPerGroup() * g.kh() * g.kw()), g.toString());
        }
    }

    @Test
    void knownReluAndResidual() {
        // 1x1 convolution of one pixel: y = relu(w·x + b + r) with w = [[1, 2], [-3, 0]], x = [1, 1], b = [0.5, 0].
        PackedConv conv = PackedConv.of(new float[] {1, 2, -3, 0}, 2, 2, 1, 1, 1, new float[] {0.5f, 0f}, 0f,
                Float.POSITIVE_INFINITY);
        float[] y = new float[2];
        conv.forward(ConvGeometry.square(1, 2, 1, 1, 2, 1, 1, 0, 1, 1), new float[] {1, 1}, new float[] {1, 1}, y);
        assertArrayEquals(new float[] {4.5f, 0f}, y);
    }

    @Test
    void rejectsAnotherGeometry() {
        PackedConv conv = PackedConv.of(new float[8 * 3 * 9], 8, 3, 3, 3, 1, null, 0f, 6f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                conv.forward(ConvGeometry.square(1, 4, 8, 8, 8, 3, 1, 1, 1, 1), new float[256], null, new float[512]));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("packed conv"), e.getMessage());
    }
}
