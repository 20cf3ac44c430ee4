package org.legodnn.kernels.quant;

import org.legodnn.kernels.reference.QuantizeReference;

/**
 * How an activation tensor is quantized on its way into an int8 kernel — one scale and zero point for the whole
 * tensor, as ONNX's QuantizeLinear defines it: {@code q = clamp(rint(x / scale) + zeroPoint, min, max)}, the
 * division in float, rounding half to even. The kernels store {@code q - offset()} in a signed byte, so that
 * uint8 ({@code [0, 255]}) and int8 ({@code [-128, 127]}) activations share one code path.
 *
 * @param scale     the step between two levels, positive and finite
 * @param zeroPoint the level that stands for 0.0
 * @param min       the smallest level: 0 for uint8, -128 for int8
 * @param max       the largest level: 255 for uint8, 127 for int8
 */
public record ActivationQuantization(float scale, int zeroPoint, int min, int max) {

    public ActivationQuantization {
        if (!(scale > 0f) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException("activation quantization: scale " + scale
                    + ", expected a positive finite number");
        }
        if (max - min != 255 || (min != 0 && min != -128)) {
            throw new IllegalArgumentException("activation quantization: levels [" + min + ", " + max
                    + "], expected uint8 [0, 255] or int8 [-128, 127]");
        }
        if (zeroPoint < min || zeroPoint > max) {
            throw new IllegalArgumentException("activation quantization: zero point " + zeroPoint + " outside ["
                    + min + ", " + max + "]");
        }
    }

    /** uint8 levels {@code [0, 255]}. */
    public static ActivationQuantization uint8(float scale, int zeroPoint) {
        return new ActivationQuantization(scale, zeroPoint, 0, 255);
    }

    /** int8 levels {@code [-128, 127]}. */
    public static ActivationQuantization int8(float scale, int zeroPoint) {
        return new ActivationQuantization(scale, zeroPoint, -128, 127);
    }

    /** What is subtracted from a level to store it in a signed byte: 128 for uint8, 0 for int8. */
    public int offset() {
        return min == 0 ? 128 : 0;
    }

    /** ONNX QuantizeLinear of one value: the level of {@code x}. */
    public int quantize(float x) {
        return (int) QuantizeReference.level(x, scale, zeroPoint, min, max);
    }
}
