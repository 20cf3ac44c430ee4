package org.legodnn.graph.quant;

import java.util.Arrays;
import org.legodnn.graph.Attrs;
import org.legodnn.kernels.Backends;
import org.legodnn.kernels.reference.QuantizeReference;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * Runs {@link org.legodnn.graph.Op#QUANTIZE_DEQUANTIZE} in float, exactly as ONNX defines QuantizeLinear and
 * DequantizeLinear, so that a QDQ model computes here what ONNX Runtime's reference computes: divide by the scale,
 * round half to even, add the zero point, saturate to the integer type, then subtract the zero point and
 * multiply by the scale again.
 */
public final class QuantizeDequantize {

    private QuantizeDequantize() {
    }

    /** The quantized-and-restored copy of {@code x}. */
    public static Tensor apply(Tensor x, Attrs.Quantize q) {
        float[] y = new float[x.size()];
        apply(x.data(), x.shape(), q, y);
        return Tensor.of(y, x.shape());
    }

    /** Writes the quantized-and-restored copy of {@code x} (of {@code shape}) into {@code y}, which may be {@code x}. */
    public static void apply(float[] x, int[] shape, Attrs.Quantize q, float[] y) {
        int[] span = channelSpan(shape, q);
        int size = (int) Shapes.size(shape);
        for (int start = 0, c = 0; start < size; start += span[1], c = (c + 1) % span[0]) {
            fakeQuantize(x, start, Math.min(span[1], size - start), q.scales()[c], q.zeroPoints()[c], q.type(), y);
        }
    }

    /**
     * {@code [channels, values per run]}: a tensor is runs of values that share one scale, cycling through the
     * channels; per tensor, one run of everything.
     */
    private static int[] channelSpan(int[] shape, Attrs.Quantize q) {
        if (!q.perChannel()) {
            return new int[] {1, (int) Math.max(1, Shapes.size(shape))};
        }
        if (q.axis() >= shape.length || shape[q.axis()] != q.scales().length) {
            throw new IllegalArgumentException("quantize: " + q.scales().length + " scales along axis " + q.axis()
                    + " of a tensor of shape " + Arrays.toString(shape));
        }
        int inner = 1;
        for (int d = q.axis() + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        return new int[] {q.scales().length, inner};
    }

    /** The integers that ONNX's QuantizeLinear makes of {@code x}, per tensor or per channel as {@code q} says. */
    public static long[] quantizeAll(Tensor x, Attrs.Quantize q) {
        float[] in = x.data();
        long[] out = new long[in.length];
        int[] span = channelSpan(x.shape(), q);
        for (int start = 0, c = 0; start < in.length; start += span[1], c = (c + 1) % span[0]) {
            for (int i = start; i < Math.min(in.length, start + span[1]); i++) {
                out[i] = quantize(in[i], q.scales()[c], q.zeroPoints()[c], q.type());
            }
        }
        return out;
    }

    /**
     * {@code y[i] = dequantize(quantize(x[i]))} for {@code i} in {@code [off, off + len)}; 8-bit levels on the
     * backend's kernel (vectorized on the SIMD one).
     */
    public static void fakeQuantize(float[] x, int off, int len, float scale, int zeroPoint, Attrs.QuantType type,
                                    float[] y) {
        if (type != Attrs.QuantType.INT32) {
            Backends.current().fakeQuantize(x, off, len, scale, zeroPoint, type.min(), type.max(), y);
            return;
        }
        for (int i = off; i < off + len; i++) {
            y[i] = (quantize(x[i], scale, zeroPoint, type) - zeroPoint) * scale;
        }
    }

    /** ONNX QuantizeLinear of one value: {@code clamp(rint(x / scale) + zeroPoint)} in the type's range. */
    public static long quantize(float x, float scale, int zeroPoint, Attrs.QuantType type) {
        return QuantizeReference.level(x, scale, zeroPoint, type.min(), type.max());
    }
}
