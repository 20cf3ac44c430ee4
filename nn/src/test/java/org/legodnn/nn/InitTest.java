package org.legodnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.legodnn.tensor.Tensor;

/** Fans, bounds and spreads of the initializations, and PyTorch's default init of the layers. */
class InitTest {

    @Test
    void fansFollowPyTorch() {
        Tensor conv = Tensor.zeros(32, 16, 3, 3);
        assertEquals(144, Init.fanIn(conv));
        assertEquals(288, Init.fanOut(conv));
        Tensor linear = Tensor.zeros(10, 64);
        assertEquals(64, Init.fanIn(linear));
        assertEquals(10, Init.fanOut(linear));
    }

    @Test
    void kaimingUniformStaysWithinItsBound() {
        Tensor w = Tensor.zeros(64, 32, 3, 3);
        Init.kaimingUniform(w, 0, Init.FanMode.FAN_IN, Init.Nonlinearity.RELU, new Random(1));
        double bound = Math.sqrt(2.0) * Math.sqrt(3.0 / 288);
        assertTrue(maxAbs(w) <= bound && maxAbs(w) > 0.95 * bound, "max " + maxAbs(w) + " bound " + bound);
    }

    @Test
    void kaimingNormalAndXavierHaveTheirStandardDeviation() {
        Tensor w = Tensor.zeros(128, 64, 3, 3);
        Init.kaimingNormal(w, 0, Init.FanMode.FAN_OUT, Init.Nonlinearity.RELU, new Random(2));
        assertEquals(Math.sqrt(2.0 / (128 * 9)), std(w), 0.02 * Math.sqrt(2.0 / (128 * 9)));
        Tensor x = Tensor.zeros(300, 200);
        Init.xavierNormal(x, 1.0, new Random(3));
        assertEquals(Math.sqrt(2.0 / 500), std(x), 0.02 * Math.sqrt(2.0 / 500));
        Init.xavierUniform(x, 1.0, new Random(4));
        assertTrue(maxAbs(x) <= Math.sqrt(6.0 / 500));
        assertEquals(Math.sqrt(6.0 / 500) / Math.sqrt(3), std(x), 0.02 * Math.sqrt(2.0 / 500));
    }

    @Test
    void layersUsePyTorchsDefaultBoundOneOverSqrtFanIn() {
        Conv2d conv = new Conv2d(16, 32, 3, 1, 1, 1, 1, true, new Random(5));
        double bound = 1.0 / Math.sqrt(144);
        assertTrue(maxAbs(conv.weight()) <= bound && maxAbs(conv.weight()) > 0.95 * bound);
        assertTrue(maxAbs(conv.bias()) <= bound);
        Linear fc = new Linear(64, 10, true, new Random(6));
        assertTrue(maxAbs(fc.weight()) <= 0.125 && maxAbs(fc.weight()) > 0.95 * 0.125);
        assertTrue(maxAbs(fc.bias()) <= 0.125);
        ConvTranspose2d up = new ConvTranspose2d(8, 4, 3, 2, 1, 1, 1, 2, true, new Random(7));
        assertArrayEquals(new int[] {8, 2, 3, 3}, up.weight().shape());
        assertTrue(maxAbs(up.weight()) <= 1.0 / Math.sqrt(18));
    }

    @Test
    void theSameSeedGivesTheSameModel() {
        Init.manualSeed(42);
        Linear a = new Linear(5, 3);
        Init.manualSeed(42);
        Linear b = new Linear(5, 3);
        assertArrayEquals(a.weight().data(), b.weight().data());
        assertArrayEquals(a.bias().data(), b.bias().data());
    }

    @Test
    void unsupportedAdaptivePoolSizeIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AdaptiveAvgPool2d(7));
        assertTrue(e.getMessage().contains("output size 7"), e.getMessage());
    }

    private static double maxAbs(Tensor t) {
        double m = 0;
        for (float v : t.data()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static double std(Tensor t) {
        double s = 0;
        double s2 = 0;
        for (float v : t.data()) {
            s += v;
            s2 += (double) v * v;
        }
        double n = t.size();
        return Math.sqrt(s2 / n - (s / n) * (s / n));
    }
}
