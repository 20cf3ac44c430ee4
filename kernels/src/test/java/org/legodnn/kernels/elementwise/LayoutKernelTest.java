package org.legodnn.kernels.elementwise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.legodnn.kernels.Fixture;
import org.legodnn.kernels.check.Compare;
import org.legodnn.kernels.check.LayoutCheck;

class LayoutKernelTest {

    @Test
    void matchesTheIndexFormula() {
        new LayoutCheck().run(1);
        new LayoutCheck().run(2);
    }

    @Test
    void interleavesImages() {
        float[] a = {1, 2, 3, 4};       // [2, 1, 2]
        float[] b = {5, 6, 7, 8, 9, 10, 11, 12}; // [2, 2, 2]
        float[] y = new float[12];
        LayoutKernel.concatChannels(2, 2, new int[] {1, 2}, new float[][] {a, b}, y);
        assertArrayEquals(new float[] {1, 2, 5, 6, 7, 8, 3, 4, 9, 10, 11, 12}, y);
    }

    @Test
    void rejectsMismatchedParts() {
        assertThrows(IllegalArgumentException.class,
                () -> LayoutKernel.concatChannels(1, 2, new int[] {1, 2}, new float[][] {new float[2]}, new float[6]));
        assertThrows(IllegalArgumentException.class,
                () -> LayoutKernel.splitChannels(1, 2, new int[] {1}, new float[1], new float[][] {new float[2]}));
    }

    @Test
    void concatMatchesPyTorch() {
        Fixture f = Fixture.op("concat_dim1");
        int[] sa = f.shape("a");
        int[] sb = f.shape("b");
        int n = sa[0];
        int hw = sa[2] * sa[3];
        int[] channels = {sa[1], sb[1]};
        float[] y = new float[n * (sa[1] + sb[1]) * hw];
        LayoutKernel.concatChannels(n, hw, channels, new float[][] {f.get("a"), f.get("b")}, y);
        Compare.assertClose("concat_dim1 y", f.get("y"), y, 0f, 0f);
        float[] ga = new float[n * sa[1] * hw];
        float[] gb = new float[n * sb[1] * hw];
        LayoutKernel.splitChannels(n, hw, channels, f.get("gy"), new float[][] {ga, gb});
        Compare.assertClose("concat_dim1 ga", f.get("ga"), ga, 0f, 0f);
        Compare.assertClose("concat_dim1 gb", f.get("gb"), gb, 0f, 0f);
    }
}
