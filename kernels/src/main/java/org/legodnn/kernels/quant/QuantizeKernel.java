package org.legodnn.kernels.quant;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.legodnn.kernels.reference.QuantizeReference;

/**
 * ONNX's QuantizeLinear on 8-bit levels, a vector at a time: into signed bytes for the int8 kernels
 * ({@link #levels}), or straight back to floats, as a quantize-dequantize pair computes ({@link #fakeQuantize}).
 * Both give {@link QuantizeReference}'s results bit for bit for every number but NaN (which QuantizeLinear leaves
 * undefined). The rounding needs no float-to-int conversion, which C2 on JDK 17 does not compile to vector code:
 * adding 1.5·2²³ to a float of magnitude up to 2²² rounds it to an integer, ties to even, and leaves that integer
 * in the low bits of the sum.
 */
public final class QuantizeKernel {

    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    /** Bytes with as many lanes as {@link #FS}; absent (null) where that would be narrower than 64 bits. */
    private static final VectorSpecies<Byte> BYTES = FS.length() >= 8
            ? VectorShape.forBitSize(FS.length() * 8).withLanes(byte.class) : null;
    /** Beyond this the rounding trick stops being exact; the clamp to the levels happens after anyway. */
    private static final float LARGE = 1 << 22;
    private static final float ROUND = 12582912f;
    private static final int ROUND_BITS = Float.floatToIntBits(ROUND);

    private QuantizeKernel() {
    }

    /** {@code out[outOff + i] = level(x[off + i]) - q.offset()} for {@code i < len}. */
    static void levels(float[] x, int off, int len, ActivationQuantization q, byte[] out, int outOff) {
        int i = 0;
        if (BYTES != null) {
            float scale = q.scale();
            int bias = ROUND_BITS - (q.zeroPoint() - q.offset());
            int lo = q.min() - q.offset();
            int hi = q.max() - q.offset();
            for (int upper = FS.loopBound(len); i < upper; i += FS.length()) {
                FloatVector t = FloatVector.fromArray(FS, x, off + i).div(scale).max(-LARGE).min(LARGE).add(ROUND);
                IntVector level = t.reinterpretAsInts().sub(bias).max(lo).min(hi);
                ((ByteVector) level.convertShape(VectorOperators.I2B, BYTES, 0)).intoArray(out, outOff + i);
            }
        }
        int offset = q.offset();
        for (; i < len; i++) {
            out[outOff + i] = (byte) (q.quantize(x[off + i]) - offset);
        }
    }

    /**
     * {@code y[off + i] = (level(x[off + i]) - zeroPoint)·scale} for {@code i < len}, levels {@code [min, max]}
     * (8-bit); {@code y} may be {@code x}. In floats throughout: {@code level - zeroPoint} is
     * {@code clamp(rint(x / scale), min - zeroPoint, max - zeroPoint)}, an exact small integer.
     */
    public static void fakeQuantize(float[] x, int off, int len, float scale, int zeroPoint, int min, int max,
                                    float[] y) {
        float lo = min - zeroPoint;
        float hi = max - zeroPoint;
        int i = 0;
        for (int upper = FS.loopBound(len); i < upper; i += FS.length()) {
            fakeQuantize(FloatVector.fromArray(FS, x, off + i), scale, lo, hi).intoArray(y, off + i);
        }
        QuantizeReference.fakeQuantize(x, off + i, len - i, scale, zeroPoint, min, max, y);
    }

    /** The quantize-dequantize of one vector, {@code q}'s levels. */
    static FloatVector fakeQuantize(FloatVector x, ActivationQuantization q) {
        return fakeQuantize(x, q.scale(), q.min() - q.zeroPoint(), q.max() - q.zeroPoint());
    }

    /** {@code clamp(rint(x / scale), lo, hi)·scale}, {@code lo} and {@code hi} the levels less the zero point. */
    private static FloatVector fakeQuantize(FloatVector x, float scale, float lo, float hi) {
        FloatVector t = x.div(scale).max(-LARGE).min(LARGE);
        return t.add(ROUND).sub(ROUND).max(lo).min(hi).mul(scale);
    }
}
