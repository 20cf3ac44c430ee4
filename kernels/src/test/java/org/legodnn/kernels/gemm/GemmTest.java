package org.legodnn.kernels.gemm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.legodnn.kernels.Parallel;
import org.legodnn.kernels.check.Compare;
import org.legodnn.kernels.check.GemmCheck;
import org.legodnn.kernels.reference.GemmReference;

class GemmTest {

    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @Test
    void matchesReferenceOnOneThread() {
        Parallel.setThreads(1);
        new GemmCheck().run(1);
    }

    @Test
    void matchesReferenceOnTwoThreads() {
        Parallel.setThreads(2);
        new GemmCheck().run(2);
    }

    @Test
    void smallKnownProduct() {
        // [1 2 3; 4 5 6] · [7 8; 9 10; 11 12] = [58 64; 139 154]
        float[] a = {1, 2, 3, 4, 5, 6};
        float[] b = {7, 8, 9, 10, 11, 12};
        float[] c = new float[4];
        Gemm.sgemm(false, false, 2, 2, 3, a, 0, 3, b, 0, 2, false, c, 0, 2);
        assertArrayEquals(new float[] {58, 64, 139, 154}, c);
        Gemm.sgemm(false, false, 2, 2, 3, a, 0, 3, b, 0, 2, true, c, 0, 2);
        assertArrayEquals(new float[] {116, 128, 278, 308}, c);
        // The same product with both operands stored transposed.
        float[] at = {1, 4, 2, 5, 3, 6};
        float[] bt = {7, 9, 11, 8, 10, 12};
        Gemm.sgemm(true, true, 2, 2, 3, at, 0, 2, bt, 0, 3, false, c, 0, 2);
        assertArrayEquals(new float[] {58, 64, 139, 154}, c);
    }

    @Test
    void blockEdgesAndManyBlocks() {
        Parallel.setThreads(2);
        Random rnd = new Random(3);
        // Several depth blocks (k > KC), several column blocks (n > NC), several row blocks (m > MB).
        GemmCheck.runCase(rnd, false, false, 13, 40, 3 * Gemm.KC + 5, false);
        GemmCheck.runCase(rnd, true, true, 9, 40, 2 * Gemm.KC + 1, true);
        GemmCheck.runCase(rnd, false, true, 5, Gemm.NC + 37, 3, true);
        GemmCheck.runCase(rnd, true, false, Gemm.MB + 11, 33, 4, false);
        // Exactly one micro-tile, and one row/column short of it.
        int mr = GemmMicroKernel.MR;
        int nr = GemmMicroKernel.NR;
        for (int variant = 0; variant < 4; variant++) {
            boolean ta = (variant & 1) != 0;
            boolean tb = (variant & 2) != 0;
            GemmCheck.runCase(rnd, ta, tb, mr * 8, nr * 4, 128, false);
            GemmCheck.runCase(rnd, ta, tb, mr * 8 - 1, nr * 4 - 1, 129, true);
            GemmCheck.runCase(rnd, ta, tb, mr * 8 + 1, nr * 4 + 1, 127, false);
        }
    }

    @Test
    void rowTilesThatPackTheirOwnRowsOfA() {
        // Tall enough for row tiles on one and on two threads, with an edge row panel, an edge column panel and
        // two depth blocks, each transpose of A and B.
        Random rnd = new Random(6);
        int m = 4 * Gemm.MC + 3 * GemmMicroKernel.MR + 1;
        int n = 5 * GemmMicroKernel.NR + 3;
        int k = Gemm.KC + 17;
        for (int variant = 0; variant < 8; variant++) {
            Parallel.setThreads(1 + (variant >> 2));
            GemmCheck.runCase(rnd, (variant & 1) != 0, (variant & 2) != 0, m, n, k, variant % 3 == 0);
        }
    }

    @Test
    void thinAndVectorShapes() {
        Random rnd = new Random(4);
        for (int variant = 0; variant < 16; variant++) {
            Parallel.setThreads(1 + (variant >> 3));
            boolean ta = (variant & 1) != 0;
            boolean tb = (variant & 2) != 0;
            boolean acc = (variant & 4) != 0;
            GemmCheck.runCase(rnd, ta, tb, 1, 1000, 300, acc);   // a row vector times a matrix
            GemmCheck.runCase(rnd, ta, tb, 1000, 1, 300, acc);   // matrix-vector
            GemmCheck.runCase(rnd, ta, tb, 2, 3, 2000, acc);     // long dot products
            GemmCheck.runCase(rnd, ta, tb, 300, 300, 1, acc);    // outer product
            GemmCheck.runCase(rnd, ta, tb, 5, 3, 70000, acc);    // few long rows, split by rows
        }
    }

    @Test
    void resultDoesNotDependOnThreadCount() {
        Random rnd = new Random(5);
        int m = 150;
        int n = 230;
        int k = 520;
        float[] a = Compare.random(rnd, m * k);
        float[] b = Compare.random(rnd, k * n);
        float[] one = new float[m * n];
        float[] two = new float[m * n];
        Parallel.setThreads(1);
        Gemm.sgemm(false, true, m, n, k, a, 0, k, b, 0, k, false, one, 0, n);
        Parallel.setThreads(2);
        Gemm.sgemm(false, true, m, n, k, a, 0, k, b, 0, k, false, two, 0, n);
        assertArrayEquals(one, two);
    }

    @Test
    void concurrentCallersKeepTheirOwnBuffers() throws InterruptedException {
        Parallel.setThreads(2);
        Thread[] callers = new Thread[3];
        Throwable[] failures = new Throwable[callers.length];
        for (int t = 0; t < callers.length; t++) {
            int id = t;
            callers[t] = new Thread(() -> {
                try {
                    Random rnd = new Random(10 + id);
                    for (int i = 0; i < 5; i++) {
                        GemmCheck.runCase(rnd, rnd.nextBoolean(), rnd.nextBoolean(), 70 + id * 13, 90 + id, 300, false);
                    }
                } catch (Throwable e) {
                    failures[id] = e;
                }
            });
            callers[t].start();
        }
        for (Thread caller : callers) {
            caller.join();
        }
        for (Throwable failure : failures) {
            if (failure != null) {
                throw new AssertionError(failure);
            }
        }
    }

    @Test
    void referenceAgreesWithHandComputedTransposes() {
        // The reference itself, on a 2x3 · 3x1 with A stored transposed and padded.
        float[] at = {0, 1, 4, 9, 2, 5, 9, 3, 6, 9}; // offset 1, lda 3: rows [1 4 _], [2 5 _], [3 6 _]
        float[] b = {1, 1, 1};
        float[] c = new float[2];
        GemmReference.sgemm(true, false, 2, 1, 3, at, 1, 3, b, 0, 1, false, c, 0, 1);
        assertArrayEquals(new float[] {6, 15}, c);
    }

    @Test
    void rejectsBadArguments() {
        float[] a = new float[12];
        float[] b = new float[12];
        float[] c = new float[12];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, 3, 4, 4, a, 0, 4, b, 0, 4, false, c, 0, 4));
        assertTrue(e.getMessage().contains("sgemm") && e.getMessage().contains("B"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, 3, 3, 4, a, 0, 2, b, 0, 3, false, c, 0, 3));
        assertTrue(e.getMessage().contains("leading dimension"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, -1, 3, 4, a, 0, 4, b, 0, 3, false, c, 0, 3));
    }
}
