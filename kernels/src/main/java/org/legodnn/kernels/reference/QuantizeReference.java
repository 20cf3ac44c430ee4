package org.legodnn.kernels.reference;

/**
 * The definition of ONNX's QuantizeLinear and DequantizeLinear that the quantization kernels
 * ({@link org.legodnn.kernels.quant.QuantizeKernel}) are checked against: divide by the scale in float, round half
 * to even, add the zero point, saturate to the levels — then subtract the zero point and multiply by the scale.
 */
public final class QuantizeReference {

    private QuantizeReference() {
    }

    /** {@code clamp(rint(x / scale) + zeroPoint, min, max)}; NaN gives 0. */
    public static long level(float x, float scale, int zeroPoint, long min, long max) {
        double q = Math.rint(x / scale) + zeroPoint;
        return (long) Math.max(min, Math.min(max, q));
    }

    /** {@code y[i] = (level(x[i]) - zeroPoint)·scale} for {@code i} in {@code [off, off + len)}; {@code y} may be {@code x}. */
    public static void fakeQuantize(float[] x, int off, int len, float scale, int zeroPoint, long min, long max,
                                    float[] y) {
        for (int i = off; i < off + len; i++) {
            y[i] = (level(x[i], scale, zeroPoint, min, max) - zeroPoint) * scale;
        }
    }
}
