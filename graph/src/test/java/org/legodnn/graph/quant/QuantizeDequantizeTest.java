package org.legodnn.graph.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.legodnn.graph.Attrs;
import org.legodnn.tensor.Tensor;

/** {@link QuantizeDequantize} against hand-computed ONNX QuantizeLinear / DequantizeLinear results. */
class QuantizeDequantizeTest {

    @Test
    void perTensorUint8RoundsHalfToEvenAndSaturates() {
        // scale 0.5, zero point 10: x / 0.5 = 2x; 0.25 -> 0.5 -> 0 (even), 0.75 -> 1.5 -> 2 (even), -5 -> 0 (saturated)
        Attrs.Quantize q = Attrs.Quantize.perTensor(0.5f, 10, Attrs.QuantType.UINT8);
        Tensor x = Tensor.of(new float[] {0.25f, 0.75f, 1.0f, -5.0f, -6.0f, 200f, 122.5f}, 7);
        assertArrayEquals(new long[] {10, 12, 12, 0, 0, 255, 255}, QuantizeDequantize.quantizeAll(x, q));
        assertArrayEquals(new float[] {0f, 1f, 1f, -5f, -5f, 122.5f, 122.5f},
                QuantizeDequantize.apply(x, q).data(), 0f);
    }

    @Test
    void perChannelInt8UsesEachChannelsScale() {
        // shape [2, 3], axis 0: row 0 at scale 0.1, row 1 at scale 1; int8 saturates at -128 and 127
        Attrs.Quantize q = new Attrs.Quantize(new float[] {0.1f, 1f}, new int[] {0, 0}, 0, Attrs.QuantType.INT8);
        Tensor w = Tensor.of(new float[] {0.26f, -0.31f, 20f, 2.5f, -3.5f, -200f}, 2, 3);
        assertArrayEquals(new long[] {3, -3, 127, 2, -4, -128}, QuantizeDequantize.quantizeAll(w, q));
        // axis 1: columns at scales 1, 2, 4
        Attrs.Quantize cols = new Attrs.Quantize(new float[] {1f, 2f, 4f}, new int[] {0, 0, 0}, 1, Attrs.QuantType.INT8);
        assertArrayEquals(new long[] {0, 0, 5, 2, -2, -50}, QuantizeDequantize.quantizeAll(w, cols));
    }

    @Test
    void int32KeepsLargeValues() {
        Attrs.Quantize q = Attrs.Quantize.perTensor(1e-4f, 0, Attrs.QuantType.INT32);
        Tensor b = Tensor.of(new float[] {12.34567f, -0.00004f}, 2);
        long[] ints = QuantizeDequantize.quantizeAll(b, q);
        assertTrue(Math.abs(ints[0] - 123457) <= 1, "got " + ints[0]);
        assertEquals(0L, ints[1]);
    }

    @Test
    void wrongChannelCountIsNamed() {
        Attrs.Quantize q = new Attrs.Quantize(new float[] {1f, 1f, 1f}, new int[] {0, 0, 0}, 0, Attrs.QuantType.INT8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QuantizeDequantize.apply(Tensor.zeros(2, 3), q));
        assertTrue(e.getMessage().contains("3 scales along axis 0") && e.getMessage().contains("[2, 3]"), e.getMessage());
    }

    @Test
    void badParametersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Attrs.Quantize.perTensor(0f, 0, Attrs.QuantType.UINT8));
        assertThrows(IllegalArgumentException.class, () -> Attrs.Quantize.perTensor(1f, 300, Attrs.QuantType.UINT8));
        assertThrows(IllegalArgumentException.class,
                () -> new Attrs.Quantize(new float[] {1f}, new int[] {0, 0}, 0, Attrs.QuantType.INT8));
    }
}
