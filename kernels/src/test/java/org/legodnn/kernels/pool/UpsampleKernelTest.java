package org.legodnn.kernels.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.legodnn.kernels.Fixture;
import org.legodnn.kernels.Parallel;
import org.legodnn.kernels.check.Compare;
import org.legodnn.kernels.check.UpsampleCheck;

class UpsampleKernelTest {

    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @Test
    void matchesReferenceOnOneThread() {
        Parallel.setThreads(1);
        new UpsampleCheck().run(1);
    }

    @Test
    void matchesReferenceOnTwoThreads() {
        Parallel.setThreads(2);
        new UpsampleCheck().run(2);
    }

    @Test
    void bilinearToTheSameSizeIsTheIdentity() {
        float[] x = Compare.random(new Random(3), 2 * 3 * 5 * 7);
        float[] y = new float[x.length];
        UpsampleKernel.bilinearForward(2, 3, 5, 7, 5, 7, x, y);
        assertArrayEquals(x, y);
    }

    @Test
    void bilinearTwiceOfARowUsesQuarterWeights() {
        // PyTorch: F.interpolate([[0, 4]], scale 2, bilinear) along w = [0, 1, 3, 4]
        float[] y = new float[4];
        UpsampleKernel.bilinearForward(1, 1, 1, 2, 1, 4, new float[] {0f, 4f}, y);
        assertArrayEquals(new float[] {0f, 1f, 3f, 4f}, y, 1e-6f);
        float[] gx = new float[2];
        UpsampleKernel.bilinearBackward(1, 1, 1, 2, 1, 4, new float[] {1f, 1f, 1f, 1f}, gx);
        assertArrayEquals(new float[] {2f, 2f}, gx, 1e-6f);
    }

    @Test
    void rejectsBadSizes() {
        assertThrows(IllegalArgumentException.class,
                () -> UpsampleKernel.nearestForward(1, 1, 2, 2, 0, 2, new float[4], new float[8]));
        assertThrows(IllegalArgumentException.class,
                () -> UpsampleKernel.bilinearForward(1, 1, 2, 2, 4, 4, new float[4], new float[15]));
    }

    // ---- PyTorch's numbers -----------------------------------------------------------------------------

    @Test
    void nearestMatchesPyTorch() {
        Fixture f = Fixture.op("upsample_nearest2x");
        int[] s = f.shape("x");
        int scale = f.intAttr("scale", 2);
        float[] y = new float[s[0] * s[1] * s[2] * scale * s[3] * scale];
        UpsampleKernel.nearestForward(s[0], s[1], s[2], s[3], scale, scale, f.get("x"), y);
        Compare.assertClose("upsample_nearest2x y", f.get("y"), y, 1e-4f, 1e-5f);
        float[] gx = new float[s[0] * s[1] * s[2] * s[3]];
        UpsampleKernel.nearestBackward(s[0], s[1], s[2], s[3], scale, scale, f.get("gy"), gx);
        Compare.assertClose("upsample_nearest2x gx", f.get("gx"), gx, 1e-4f, 1e-5f);
    }

    @Test
    void bilinearMatchesPyTorch() {
        Fixture f = Fixture.op("upsample_bilinear2x");
        int[] s = f.shape("x");
        int[] out = f.shape("y");
        float[] y = new float[out[0] * out[1] * out[2] * out[3]];
        UpsampleKernel.bilinearForward(s[0], s[1], s[2], s[3], out[2], out[3], f.get("x"), y);
        Compare.assertClose("upsample_bilinear2x y", f.get("y"), y, 1e-4f, 1e-5f);
        float[] gx = new float[s[0] * s[1] * s[2] * s[3]];
        UpsampleKernel.bilinearBackward(s[0], s[1], s[2], s[3], out[2], out[3], f.get("gy"), gx);
        Compare.assertClose("upsample_bilinear2x gx", f.get("gx"), gx, 1e-4f, 1e-5f);
    }
}
