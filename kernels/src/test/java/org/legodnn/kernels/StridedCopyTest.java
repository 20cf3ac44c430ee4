package org.legodnn.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class StridedCopyTest {

    /** The plain definition: {@code dst[d + i] = src[s + i·step]}. */
    private static void everyNthReference(float[] src, int s, int step, float[] dst, int d, int count) {
        for (int i = 0; i < count; i++) {
            dst[d + i] = src[s + i * step];
        }
    }

    @Test
    void matchesTheDefinitionForEveryStepOffsetAndCount() {
        Random rnd = new Random(7);
        for (int t = 0; t < 300; t++) {
            int step = 1 + rnd.nextInt(4);
            int count = rnd.nextInt(70);
            int s = rnd.nextInt(5);
            int d = rnd.nextInt(5);
            float[] src = new float[s + Math.max(0, count - 1) * step + 1 + rnd.nextInt(3)];
            for (int i = 0; i < src.length; i++) {
                src[i] = rnd.nextFloat();
            }
            float[] expected = new float[d + count + rnd.nextInt(3)];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = -rnd.nextFloat();
            }
            float[] actual = expected.clone();
            everyNthReference(src, s, step, expected, d, count);
            StridedCopy.everyNth(src, s, step, actual, d, count);
            assertArrayEquals(expected, actual, "step " + step + " count " + count + " offsets " + s + "/" + d);
        }
    }
}
