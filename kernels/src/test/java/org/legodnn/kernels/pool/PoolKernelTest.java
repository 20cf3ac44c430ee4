package org.legodnn.kernels.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.legodnn.kernels.Fixture;
import org.legodnn.kernels.Parallel;
import org.legodnn.kernels.check.Compare;
import org.legodnn.kernels.check.PoolCheck;

class PoolKernelTest {

    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @Test
    void matchesReferenceOnOneThread() {
        Parallel.setThreads(1);
        new PoolCheck().run(1);
    }

    @Test
    void matchesReferenceOnTwoThreads() {
        Parallel.setThreads(2);
        new PoolCheck().run(2);
        new PoolCheck().run(3);
    }

    @Test
    void argmaxIsAFlatIndexIntoTheWholeInput() {
        PoolGeometry g = PoolGeometry.square(2, 2, 4, 4, 2, 2, 0, false);
        float[] x = new float[g.inputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i; // the bottom-right of every window wins
        }
        float[] y = new float[g.outputSize()];
        int[] argmax = new int[g.outputSize()];
        PoolKernel.maxForward(g, x, y, argmax);
        int[] expected = new int[16];
        for (int plane = 0; plane < 4; plane++) {
            int base = plane * 16;
            int[] local = {5, 7, 13, 15};
            for (int k = 0; k < 4; k++) {
                expected[plane * 4 + k] = base + local[k];
            }
        }
        assertArrayEquals(expected, argmax);
        assertEquals(63f, y[15]);
    }

    @Test
    void tiesPickTheFirstInRowMajorOrderAsPyTorch() {
        // window 2x2 over [[0, 1], [1, 0]]: row-major first max is (0, 1), not (1, 0)
        PoolGeometry g = PoolGeometry.square(1, 1, 2, 2, 2, 1, 0, false);
        int[] argmax = new int[1];
        PoolKernel.maxForward(g, new float[] {0, 1, 1, 0}, new float[1], argmax);
        assertEquals(1, argmax[0]);
    }

    @Test
    void paddingNeverWinsAMax() {
        PoolGeometry g = PoolGeometry.square(1, 1, 2, 2, 3, 1, 1, false);
        float[] x = {-5, -6, -7, -8};
        float[] y = new float[g.outputSize()];
        PoolKernel.maxForward(g, x, y, null);
        assertArrayEquals(new float[] {-5, -5, -5, -5}, y);
    }

    @Test
    void ceilModeWindowsBeyondThePaddingDoNotCountAsPadding() {
        // 4x4 ones, k3 s2 p1 ceil: 3x3 outputs; the last window [3, 6) is clipped to the padded input [3, 5)
        PoolGeometry g = PoolGeometry.square(1, 1, 4, 4, 3, 2, 1, true);
        assertEquals(3, g.outH());
        float[] x = new float[16];
        Arrays.fill(x, 1f);
        float[] y = new float[9];
        PoolKernel.avgForward(g, true, x, y);
        // corners: real 2x2 of 3x3 (first) / real 1x1 of 2x2 (last); edges mix both
        assertArrayEquals(new float[] {4f / 9, 6f / 9, 2f / 6, 6f / 9, 9f / 9, 3f / 6, 2f / 6, 3f / 6, 1f / 4}, y, 1e-6f);
        PoolKernel.avgForward(g, false, x, y);
        float[] ones = new float[9];
        Arrays.fill(ones, 1f);
        assertArrayEquals(ones, y, 1e-6f);
    }

    @Test
    void backwardOverwritesTheGradient() {
        PoolGeometry g = PoolGeometry.square(1, 2, 5, 5, 3, 2, 1, false);
        float[] x = Compare.random(new java.util.Random(7), g.inputSize());
        int[] argmax = new int[g.outputSize()];
        PoolKernel.maxForward(g, x, new float[g.outputSize()], argmax);
        float[] gy = new float[g.outputSize()];
        float[] gx = new float[g.inputSize()];
        Arrays.fill(gx, 42f);
        PoolKernel.maxBackward(g, gy, argmax, gx);
        assertArrayEquals(new float[g.inputSize()], gx);
        Arrays.fill(gx, 42f);
        PoolKernel.avgBackward(g, true, gy, gx);
        assertArrayEquals(new float[g.inputSize()], gx);
        Arrays.fill(gx, 42f);
        PoolKernel.globalAvgBackward(1, 2, 25, new float[2], gx);
        assertArrayEquals(new float[g.inputSize()], gx);
    }

    @Test
    void rejectsShortArraysAndForeignArgmax() {
        PoolGeometry g = PoolGeometry.square(1, 1, 4, 4, 2, 2, 0, false);
        assertThrows(IllegalArgumentException.class, () -> PoolKernel.maxForward(g, new float[15], new float[4], null));
        assertThrows(IllegalArgumentException.class, () -> PoolKernel.avgForward(g, true, new float[16], new float[3]));
        assertThrows(IllegalArgumentException.class,
                () -> PoolKernel.maxBackward(g, new float[4], new int[] {0, 1, 2, 16}, new float[16]));
        assertThrows(IllegalArgumentException.class, () -> PoolKernel.globalAvgForward(1, 2, 3, new float[5], new float[2]));
    }

    // ---- PyTorch's numbers -----------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"maxpool2x2_s2", "maxpool3x3_s2_p1", "maxpool3x3_s2_ceil"})
    void maxPoolMatchesPyTorch(String name) {
        Fixture f = Fixture.op(name);
        PoolGeometry g = geometry(f);
        assertArrayEquals(f.shape("y"), new int[] {g.n(), g.c(), g.outH(), g.outW()}, name + " output shape");
        float[] y = new float[g.outputSize()];
        int[] argmax = new int[g.outputSize()];
        PoolKernel.maxForward(g, f.get("x"), y, argmax);
        Compare.assertClose(name + " y", f.get("y"), y, 1e-4f, 1e-5f);
        float[] gx = new float[g.inputSize()];
        PoolKernel.maxBackward(g, f.get("gy"), argmax, gx);
        Compare.assertClose(name + " gx", f.get("gx"), gx, 1e-4f, 1e-5f);
    }

    @ParameterizedTest
    @ValueSource(strings = {"avgpool2x2_s2", "avgpool3x3_s1_p1_excl"})
    void avgPoolMatchesPyTorch(String name) {
        Fixture f = Fixture.op(name);
        PoolGeometry g = geometry(f);
        boolean includePad = f.boolAttr("count_include_pad", true);
        assertArrayEquals(f.shape("y"), new int[] {g.n(), g.c(), g.outH(), g.outW()}, name + " output shape");
        float[] y = new float[g.outputSize()];
        PoolKernel.avgForward(g, includePad, f.get("x"), y);
        Compare.assertClose(name + " y", f.get("y"), y, 1e-4f, 1e-5f);
        float[] gx = new float[g.inputSize()];
        PoolKernel.avgBackward(g, includePad, f.get("gy"), gx);
        Compare.assertClose(name + " gx", f.get("gx"), gx, 1e-4f, 1e-5f);
    }

    @Test
    void globalAvgPoolMatchesPyTorch() {
        Fixture f = Fixture.op("global_avgpool");
        int[] s = f.shape("x");
        float[] y = new float[s[0] * s[1]];
        PoolKernel.globalAvgForward(s[0], s[1], s[2] * s[3], f.get("x"), y);
        Compare.assertClose("global_avgpool y", f.get("y"), y, 1e-4f, 1e-5f);
        float[] gx = new float[s[0] * s[1] * s[2] * s[3]];
        PoolKernel.globalAvgBackward(s[0], s[1], s[2] * s[3], f.get("gy"), gx);
        Compare.assertClose("global_avgpool gx", f.get("gx"), gx, 1e-4f, 1e-5f);
    }

    private static PoolGeometry geometry(Fixture f) {
        int[] s = f.shape("x");
        int k = f.intAttr("kernel", -1);
        return PoolGeometry.square(s[0], s[1], s[2], s[3], k, f.intAttr("stride", k), f.intAttr("padding", 0),
                f.boolAttr("ceil_mode", false));
    }
}
