package org.legodnn.graph.quant;

/**
 * Turns a calibrated range into the integer grid that a quantized tensor lives on, with the rounding of ONNX's
 * QuantizeLinear, so that what is simulated here (see {@link #fakeQuantize}) is what an int8 runtime computes.
 *
 * <p>The formulas are those of the SDWSeg paper: for an N-bit grid of the range [f_min, f_max],
 * range = f_max &minus; f_min, scale = range / (2<sup>N</sup> &minus; 1), offset = round(&minus;f_min / scale) and
 * x_q = clamp(round(x / scale) + offset, l, u). Rounding is always half to even ({@link Math#rint}), as in ONNX.
 *
 * @param scale the step between two levels, finite and &gt; 0
 * @param zeroPoint the level that stands for 0 (the offset), in [qmin, qmax]
 * @param qmin the lowest level (l)
 * @param qmax the highest level (u), &gt; qmin
 */
public record QuantParams(float scale, int zeroPoint, int qmin, int qmax) {

    /** Checks the fields; see the record's parameters. */
    public QuantParams {
        if (!(scale > 0f && scale <= Float.MAX_VALUE)) {
            throw new IllegalArgumentException("scale must be finite and > 0: " + scale);
        }
        if (qmin >= qmax || zeroPoint < qmin || zeroPoint > qmax) {
            throw new IllegalArgumentException("need qmin <= zeroPoint <= qmax and qmin < qmax: qmin " + qmin
                    + ", zeroPoint " + zeroPoint + ", qmax " + qmax);
        }
    }

    /**
     * The uint8 grid [0, 255] of the range [lo, hi] (activations): N = 8, after the range is widened to include 0
     * so that 0 is a level exactly. The zero point is clamp(round(&minus;lo / scale), 0, 255).
     *
     * <p>A range of width 0 (lo = hi = 0 after widening, an all-zero tensor) gets scale 1 and zero point 0: every
     * value it held is then exact, and any scale would do. A range so narrow that range / 255 underflows to 0 in
     * float gets the smallest positive float as its scale.
     *
     * @throws IllegalArgumentException if lo or hi is NaN or infinite, or lo &gt; hi
     */
    public static QuantParams asymmetricUint8(float lo, float hi) {
        if (!Float.isFinite(lo) || !Float.isFinite(hi) || lo > hi) {
            throw new IllegalArgumentException("range must be finite with lo <= hi: [" + lo + ", " + hi + "]");
        }
        double fmin = Math.min(lo, 0f);
        double fmax = Math.max(hi, 0f);
        double range = fmax - fmin;
        if (range == 0) {
            return new QuantParams(1f, 0, 0, 255);
        }
        float scale = atLeastSmallest((float) (range / 255));
        double offset = Math.rint(-fmin / scale);
        return new QuantParams(scale, (int) Math.max(0, Math.min(255, offset)), 0, 255);
    }

    /**
     * The symmetric int8 grid [&minus;127, 127] of the range [&minus;absMax, absMax] (weights, as ONNX Runtime's
     * per-channel weight quantization): scale = absMax / 127, zero point 0; absMax 0 gets scale 1, and an absMax so
     * small that absMax / 127 underflows to 0 gets the smallest positive float.
     *
     * @throws IllegalArgumentException if absMax is NaN, infinite or negative
     */
    public static QuantParams symmetricInt8(float absMax) {
        if (!(absMax >= 0f && absMax <= Float.MAX_VALUE)) {
            throw new IllegalArgumentException("absMax must be finite and >= 0: " + absMax);
        }
        float scale = absMax == 0f ? 1f : atLeastSmallest((float) ((double) absMax / 127));
        return new QuantParams(scale, 0, -127, 127);
    }

    private static float atLeastSmallest(float scale) {
        return scale > 0f ? scale : Float.MIN_VALUE;
    }

    /**
     * The level of {@code x}: clamp(roundHalfEven(x / scale) + zeroPoint, qmin, qmax), with the division in float
     * as ONNX's QuantizeLinear. Infinities saturate; NaN gives the zero point.
     */
    public int quantize(float x) {
        if (Float.isNaN(x)) {
            return zeroPoint;
        }
        double q = Math.rint(x / scale) + zeroPoint;
        return (int) Math.max(qmin, Math.min(qmax, q));
    }

    /** The value that level {@code q} stands for: (q &minus; zeroPoint) &middot; scale. */
    public float dequantize(int q) {
        return (float) ((long) q - zeroPoint) * scale;
    }

    /** {@code x} as it comes out of quantizing and dequantizing: dequantize(quantize(x)). */
    public float fakeQuantize(float x) {
        return dequantize(quantize(x));
    }
}
