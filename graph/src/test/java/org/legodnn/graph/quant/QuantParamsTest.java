package org.legodnn.graph.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Scales, zero points and rounding of {@link QuantParams} against values worked out by hand. */
class QuantParamsTest {

    /** lo = -1, hi = 3: scale 4/255, zero point round(255/4) = round(63.75) = 64. */
    @Test
    void asymmetricHandChecked() {
        QuantParams p = QuantParams.asymmetricUint8(-1f, 3f);
        assertEquals(4f / 255f, p.scale());
        assertEquals(64, p.zeroPoint());
        assertEquals(0, p.qmin());
        assertEquals(255, p.qmax());
        assertEquals(64, p.quantize(0f));
        assertEquals(0f, p.dequantize(64));
        // 1 / (4/255) = 63.75 -> 64 levels above the zero point.
        assertEquals(128, p.quantize(1f));
        assertEquals(64 * (4f / 255f), p.dequantize(128));
    }

    /** A range that does not contain 0 is widened to include it. */
    @Test
    void asymmetricRangeIncludesZero() {
        QuantParams positive = QuantParams.asymmetricUint8(2f, 5f);
        assertEquals(5f / 255f, positive.scale());
        assertEquals(0, positive.zeroPoint());
        QuantParams negative = QuantParams.asymmetricUint8(-4f, -1f);
        assertEquals(4f / 255f, negative.scale());
        assertEquals(255, negative.zeroPoint());
        assertEquals(0f, negative.fakeQuantize(0f));
    }

    /** lo = hi = 0 (an all-zero tensor): scale 1 and zero point 0, and 0 stays 0. */
    @Test
    void asymmetricEmptyRange() {
        QuantParams p = QuantParams.asymmetricUint8(0f, 0f);
        assertEquals(new QuantParams(1f, 0, 0, 255), p);
        assertEquals(0, p.quantize(0f));
        assertEquals(0f, p.fakeQuantize(0f));
    }

    /** Ties round half to even, as ONNX's QuantizeLinear: scale 1, zero point 128. */
    @Test
    void asymmetricRoundsHalfToEven() {
        QuantParams p = QuantParams.asymmetricUint8(-128f, 127f);
        assertEquals(1f, p.scale());
        assertEquals(128, p.zeroPoint());
        assertEquals(128, p.quantize(0.5f));
        assertEquals(130, p.quantize(1.5f));
        assertEquals(130, p.quantize(2.5f));
        assertEquals(128, p.quantize(-0.5f));
        assertEquals(126, p.quantize(-1.5f));
        assertEquals(126, p.quantize(-2.5f));
        assertEquals(131, p.quantize(2.5001f));
    }

    @Test
    void symmetricRoundsHalfToEven() {
        QuantParams p = QuantParams.symmetricInt8(127f);
        assertEquals(1f, p.scale());
        assertEquals(0, p.quantize(0.5f));
        assertEquals(2, p.quantize(1.5f));
        assertEquals(2, p.quantize(2.5f));
        assertEquals(0, p.quantize(-0.5f));
        assertEquals(-2, p.quantize(-1.5f));
        assertEquals(-2, p.quantize(-2.5f));
    }

    @Test
    void saturatesAtBothEnds() {
        QuantParams a = QuantParams.asymmetricUint8(-1f, 3f);
        assertEquals(255, a.quantize(100f));
        assertEquals(0, a.quantize(-100f));
        assertEquals(255, a.quantize(Float.POSITIVE_INFINITY));
        assertEquals(0, a.quantize(Float.NEGATIVE_INFINITY));
        assertEquals(255, a.quantize(Float.MAX_VALUE));
        QuantParams s = QuantParams.symmetricInt8(1f);
        assertEquals(127, s.quantize(1000f));
        assertEquals(-127, s.quantize(-1000f));
        assertEquals(-127, s.quantize(Float.NEGATIVE_INFINITY));
    }

    @Test
    void nanQuantizesToTheZeroPoint() {
        QuantParams p = QuantParams.asymmetricUint8(-1f, 3f);
        assertEquals(64, p.quantize(Float.NaN));
        assertEquals(0f, p.fakeQuantize(Float.NaN));
    }

    /** absMax 2.54: scale 2.54 / 127 = 0.02, zero point 0, levels [-127, 127]. */
    @Test
    void symmetricHandChecked() {
        QuantParams p = QuantParams.symmetricInt8(2.54f);
        assertEquals(0.02f, p.scale(), 1e-8f);
        assertEquals(0, p.zeroPoint());
        assertEquals(-127, p.qmin());
        assertEquals(127, p.qmax());
        assertEquals(127, p.quantize(2.54f));
        assertEquals(-127, p.quantize(-2.54f));
        assertEquals(50, p.quantize(1f));
        assertEquals(1f, p.dequantize(50), 1e-6f);
        assertEquals(new QuantParams(1f, 0, -127, 127), QuantParams.symmetricInt8(0f));
    }

    /** Inside the calibrated range, fake quantization moves a value by at most half a step. */
    @Test
    void fakeQuantizeErrorIsAtMostHalfAStep() {
        float[][] ranges = {{-1f, 3f}, {-0.3f, 0.7f}, {0f, 6f}, {-5f, 0f}, {-1e-3f, 2e-3f}, {-100f, 1f}};
        for (float[] r : ranges) {
            QuantParams p = QuantParams.asymmetricUint8(r[0], r[1]);
            checkHalfStep(p, r[0], r[1]);
            assertEquals(0f, p.fakeQuantize(0f), "0 must be exact for " + p);
        }
        for (float absMax : new float[] {2.54f, 1f, 0.01f, 300f}) {
            checkHalfStep(QuantParams.symmetricInt8(absMax), -absMax, absMax);
        }
    }

    private static void checkHalfStep(QuantParams p, float lo, float hi) {
        // Half a step, plus the rounding of the float arithmetic itself.
        float bound = p.scale() / 2 + 4 * Math.ulp(Math.max(Math.abs(lo), Math.abs(hi)));
        int n = 10_000;
        for (int i = 0; i <= n; i++) {
            float x = lo + (hi - lo) * i / n;
            float error = Math.abs(p.fakeQuantize(x) - x);
            assertTrue(error <= bound, "x " + x + " error " + error + " > " + bound + " for " + p);
        }
    }

    @Test
    void rejectsBadRanges() {
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> QuantParams.asymmetricUint8(Float.NaN, 1f));
        assertTrue(nan.getMessage().contains("NaN"), nan.getMessage());
        IllegalArgumentException inf = assertThrows(IllegalArgumentException.class,
                () -> QuantParams.asymmetricUint8(-1f, Float.POSITIVE_INFINITY));
        assertTrue(inf.getMessage().contains("Infinity"), inf.getMessage());
        IllegalArgumentException reversed = assertThrows(IllegalArgumentException.class,
                () -> QuantParams.asymmetricUint8(2f, 1f));
        assertTrue(reversed.getMessage().contains("2.0") && reversed.getMessage().contains("1.0"),
                reversed.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> QuantParams.symmetricInt8(-1f));
        assertTrue(negative.getMessage().contains("-1.0"), negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> QuantParams.symmetricInt8(Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> QuantParams.symmetricInt8(Float.POSITIVE_INFINITY));
    }

    @Test
    void rejectsBadFields() {
        assertThrows(IllegalArgumentException.class, () -> new QuantParams(0f, 0, 0, 255));
        assertThrows(IllegalArgumentException.class, () -> new QuantParams(-1f, 0, 0, 255));
        assertThrows(IllegalArgumentException.class, () -> new QuantParams(Float.NaN, 0, 0, 255));
        assertThrows(IllegalArgumentException.class, () -> new QuantParams(Float.POSITIVE_INFINITY, 0, 0, 255));
        IllegalArgumentException zp = assertThrows(IllegalArgumentException.class,
                () -> new QuantParams(1f, 300, 0, 255));
        assertTrue(zp.getMessage().contains("300"), zp.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new QuantParams(1f, 0, 5, 5));
    }

    /** A range too narrow for a float scale still gets a positive, finite one. */
    @Test
    void tinyRangesKeepAPositiveScale() {
        QuantParams a = QuantParams.asymmetricUint8(0f, Float.MIN_VALUE);
        assertTrue(a.scale() > 0f && Float.isFinite(a.scale()), a.toString());
        QuantParams s = QuantParams.symmetricInt8(Float.MIN_VALUE);
        assertTrue(s.scale() > 0f && Float.isFinite(s.scale()), s.toString());
        QuantParams wide = QuantParams.asymmetricUint8(-Float.MAX_VALUE, Float.MAX_VALUE);
        assertTrue(wide.scale() > 0f && Float.isFinite(wide.scale()), wide.toString());
    }
}
