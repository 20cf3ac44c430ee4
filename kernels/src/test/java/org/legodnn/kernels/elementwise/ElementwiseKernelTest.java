package org.legodnn.kernels.elementwise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.legodnn.kernels.Fixture;
import org.legodnn.kernels.Parallel;
import org.legodnn.kernels.check.Compare;
import org.legodnn.kernels.check.ElementwiseCheck;

class ElementwiseKernelTest {

    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @Test
    void matchesReferenceOnOneThread() {
        Parallel.setThreads(1);
        new ElementwiseCheck().run(1);
    }

    @Test
    void matchesReferenceOnTwoThreads() {
        Parallel.setThreads(2);
        new ElementwiseCheck().run(2);
    }

    @Test
    void edgesOfTheActivations() {
        float nan = Float.NaN;
        float[] x = {-1f, 0f, 3f, 6f, 7f, nan, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
        float[] gy = {1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f};
        float[] y = new float[x.length];
        ElementwiseKernel.relu(x.length, x, y);
        assertArrayEquals(new float[] {0f, 0f, 3f, 6f, 7f, nan, 0f, Float.POSITIVE_INFINITY}, y);
        ElementwiseKernel.relu6(x.length, x, y);
        assertArrayEquals(new float[] {0f, 0f, 3f, 6f, 6f, nan, 0f, 6f}, y);
        ElementwiseKernel.reluBackward(x.length, x, gy, y);
        assertArrayEquals(new float[] {0f, 0f, 1f, 1f, 1f, 0f, 0f, 1f}, y);
        ElementwiseKernel.relu6Backward(x.length, x, gy, y);
        assertArrayEquals(new float[] {0f, 0f, 1f, 0f, 0f, 0f, 0f, 0f}, y);
    }

    @Test
    void lengthMayBeShorterThanTheArrays() {
        float[] y = {9f, 9f, 9f};
        ElementwiseKernel.add(2, new float[] {1f, 2f, 3f}, new float[] {1f, 1f, 1f}, y);
        assertArrayEquals(new float[] {2f, 3f, 9f}, y);
        ElementwiseKernel.addInPlace(0, y, new float[0]);
        assertThrows(IllegalArgumentException.class, () -> ElementwiseKernel.relu(4, new float[3], new float[4]));
    }

    // ---- PyTorch's numbers -----------------------------------------------------------------------------

    @Test
    void reluMatchesPyTorch() {
        Fixture f = Fixture.op("relu");
        float[] x = f.get("x");
        float[] out = new float[x.length];
        ElementwiseKernel.relu(x.length, x, out);
        Compare.assertClose("relu y", f.get("y"), out, 1e-4f, 1e-5f);
        ElementwiseKernel.reluBackward(x.length, x, f.get("gy"), out);
        Compare.assertClose("relu gx", f.get("gx"), out, 1e-4f, 1e-5f);
    }

    @Test
    void relu6MatchesPyTorch() {
        Fixture f = Fixture.op("relu6");
        float[] x = f.get("x");
        float[] out = new float[x.length];
        ElementwiseKernel.relu6(x.length, x, out);
        Compare.assertClose("relu6 y", f.get("y"), out, 1e-4f, 1e-5f);
        ElementwiseKernel.relu6Backward(x.length, x, f.get("gy"), out);
        Compare.assertClose("relu6 gx", f.get("gx"), out, 1e-4f, 1e-5f);
    }

    @Test
    void addMatchesPyTorch() {
        Fixture f = Fixture.op("add");
        float[] a = f.get("a");
        float[] y = new float[a.length];
        ElementwiseKernel.add(a.length, a, f.get("b"), y);
        Compare.assertClose("add y", f.get("y"), y, 1e-4f, 1e-5f);
        // both gradients of a sum are the upstream gradient, accumulated into zeroed buffers
        float[] ga = new float[a.length];
        ElementwiseKernel.addInPlace(a.length, ga, f.get("gy"));
        Compare.assertClose("add ga", f.get("ga"), ga, 1e-4f, 1e-5f);
        Compare.assertClose("add gb", f.get("gb"), ga, 1e-4f, 1e-5f);
    }
}
