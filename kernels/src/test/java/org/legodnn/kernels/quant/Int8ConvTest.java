package org.legodnn.kernels.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.legodnn.kernels.Parallel;
import org.legodnn.kernels.check.Int8ConvCheck;
import org.legodnn.kernels.conv.ConvGeometry;

class Int8ConvTest {

    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @Test
    void matchesReferenceOnOneThread() {
        Parallel.setThreads(1);
        new Int8ConvCheck().run(1);
    }

    @Test
    void matchesReferenceOnTwoThreads() {
        Parallel.setThreads(2);
        new Int8ConvCheck().run(2);
        // One large image split by column tiles, and a batch split by images.
        Random rnd = new Random(3);
        Int8ConvCheck.check(ConvGeometry.square(1, 32, 40, 41, 24, 3, 1, 1, 1, 1), rnd);
        Int8ConvCheck.check(ConvGeometry.square(5, 16, 12, 12, 16, 3, 1, 1, 1, 1), rnd);
    }

    @Test
    void vectorQuantizationEqualsOnnxQuantizeLinearThenDequantizeLinear() {
        Random rnd = new Random(7);
        for (ActivationQuantization q : new ActivationQuantization[] {
            ActivationQuantization.uint8(0.0173f, 131), ActivationQuantization.int8(0.05f, -3),
            ActivationQuantization.uint8(1e-3f, 0), ActivationQuantization.int8(2f, 127)}) {
            int len = 1000 + rnd.nextInt(40);
            float[] x = new float[len];
            for (int i = 0; i < len; i++) {
                x[i] = switch (i % 4) {
                    case 0 -> (rnd.nextInt(600) - 300 + 0.5f) * q.scale();   // ties round to even
                    case 1 -> rnd.nextFloat() * 1e9f - 5e8f;                  // saturates
                    default -> (rnd.nextFloat() * 2 - 1) * 300 * q.scale();
                };
            }
            byte[] levels = new byte[len];
            QuantizeKernel.levels(x, 0, len, q, levels, 0);
            float[] fake = new float[len];
            QuantizeKernel.fakeQuantize(x, 1, len - 1, q.scale(), q.zeroPoint(), q.min(), q.max(), fake);
            for (int i = 0; i < len; i++) {
                double level = Math.max(q.min(), Math.min(q.max(), Math.rint(x[i] / q.scale()) + q.zeroPoint()));
                assertEquals((int) level - q.offset(), levels[i], "x = " + x[i]);
                assertEquals(i == 0 ? 0f : (float) ((level - q.zeroPoint()) * q.scale()), fake[i], "x = " + x[i]);
            }
        }
    }

    @Test
    void scalarDeviceRunsTheReference() {
        ConvGeometry g = ConvGeometry.square(2, 5, 7, 7, 6, 3, 1, 1, 1, 1);
        byte[] w = new byte[6 * 5 * 9];
        for (int i = 0; i < w.length; i++) {
            w[i] = (byte) (i * 37 % 255 - 127);
        }
        float[] x = new float[g.inputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 13) * 0.1f - 0.4f;
        }
        ActivationQuantization q = ActivationQuantization.uint8(0.01f, 40);
        float[] simd = new float[g.outputSize()];
        float[] scalar = new float[g.outputSize()];
        Int8Conv.of(w, 6, 5, 3, 3, new float[] {0.02f}, q, null, null, 0f, Float.POSITIVE_INFINITY, true)
                .forward(g, x, null, simd);
        Int8Conv.of(w, 6, 5, 3, 3, new float[] {0.02f}, q, null, null, 0f, Float.POSITIVE_INFINITY, false)
                .forward(g, x, null, scalar);
        assertArrayEquals(scalar, simd);
    }

    @Test
    void badShapesAreNamed() {
        byte[] w = new byte[4 * 3 * 9];
        ActivationQuantization q = ActivationQuantization.uint8(0.1f, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Int8Conv.of(w, 4, 3, 3, 2, new float[] {1f}, q, null, null, 0f, 1f, true));
        assertEquals("int8 conv: weight [4, 3, 3, 2] needs 72 bytes, got 108", e.getMessage());
        Int8Conv conv = Int8Conv.of(w, 4, 3, 3, 3, new float[] {1f}, q, null, null, 0f, 1f, true);
        assertThrows(IllegalArgumentException.class,
                () -> conv.forward(ConvGeometry.square(1, 2, 5, 5, 4, 3, 1, 1, 1, 1), new float[50], null, new float[100]));
        assertThrows(IllegalArgumentException.class, () -> ActivationQuantization.uint8(0f, 0));
        assertThrows(IllegalArgumentException.class, () -> ActivationQuantization.uint8(1f, 256));
    }
}
