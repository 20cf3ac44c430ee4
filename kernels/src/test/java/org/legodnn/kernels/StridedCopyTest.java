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

    @Test
    void rowsMatchTheDefinitionAndWriteNothingOutsideTheirRows() {
        // Dense rows (each vector may spill into the next row) and rows with gaps between them, rows shorter and
        // longer than a vector, sources that end right after the last float read: every float outside the rows
        // keeps its value.
        Random rnd = new Random(8);
        for (int t = 0; t < 400; t++) {
            int step = 1 + rnd.nextInt(3);
            int count = 1 + rnd.nextInt(40);
            int rows = 1 + rnd.nextInt(6);
            int srcStride = (count - 1) * step + 1 + rnd.nextInt(4);
            int dstStride = rnd.nextBoolean() ? count : count + 1 + rnd.nextInt(3);
            int s = rnd.nextInt(5);
            int d = rnd.nextInt(5);
            float[] src = new float[s + (rows - 1) * srcStride + (count - 1) * step + 1 + rnd.nextInt(2)];
            for (int i = 0; i < src.length; i++) {
                src[i] = rnd.nextFloat();
            }
            float[] expected = new float[d + (rows - 1) * dstStride + count + rnd.nextInt(3)];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = -rnd.nextFloat();
            }
            float[] actual = expected.clone();
            for (int r = 0; r < rows; r++) {
                everyNthReference(src, s + r * srcStride, step, expected, d + r * dstStride, count);
            }
            StridedCopy.everyNthRows(src, s, srcStride, step, actual, d, dstStride, count, rows);
            assertArrayEquals(expected, actual, "step " + step + " count " + count + " rows " + rows + " strides "
                    + srcStride + "/" + dstStride + " offsets " + s + "/" + d);
        }
    }
}
