package org.legodnn.kernels.elementwise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.legodnn.kernels.Parallel;
import org.legodnn.kernels.check.ExpCheck;

class ExpKernelTest {

    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @Test
    void matchesReferenceOnOneThread() {
        Parallel.setThreads(1);
        new ExpCheck().run(1);
    }

    @Test
    void matchesReferenceOnTwoThreads() {
        Parallel.setThreads(2);
        new ExpCheck().run(2);
    }

    @Test
    void limitsAndNaN() {
        float inf = Float.POSITIVE_INFINITY;
        float nan = Float.NaN;
        // Sixteen values so that the vector loop, not only the scalar tail, sees every edge.
        float[] x = {0f, 1f, -inf, inf, nan, 89f, -110f, 100f, 0f, 1f, -inf, inf, nan, 89f, -110f, 100f};
        float[] y = new float[x.length];
        ExpKernel.exp(x.length, x, y);
        float e = (float) Math.E;
        assertArrayEquals(new float[] {1f, e, 0f, inf, nan, inf, 0f, inf, 1f, e, 0f, inf, nan, inf, 0f, inf}, y);
        ExpKernel.sigmoid(x.length, x, y);
        float s1 = (float) (1 / (1 + Math.exp(-1)));
        assertArrayEquals(new float[] {0.5f, s1, 0f, 1f, nan, 1f, 0f, 1f, 0.5f, s1, 0f, 1f, nan, 1f, 0f, 1f}, y);
        ExpKernel.tanh(x.length, x, y);
        float t1 = (float) Math.tanh(1);
        assertArrayEquals(new float[] {0f, t1, -1f, 1f, nan, 1f, -1f, 1f, 0f, t1, -1f, 1f, nan, 1f, -1f, 1f}, y);
    }

    @Test
    void arraysShorterThanTheLengthAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ExpKernel.exp(4, new float[3], new float[4]));
    }
}
