package org.legodnn.kernels.reference;

import org.legodnn.kernels.conv.ConvGeometry;
import org.legodnn.kernels.quant.ActivationQuantization;

/**
 * The definition of the int8 convolution ({@link org.legodnn.kernels.quant.Int8Conv}) as plain loops: every input
 * value quantized as ONNX's QuantizeLinear does, the products of levels summed exactly, and the sum turned back
 * into a float by one multiplication — then bias, the output's quantize-dequantize, residual and clamp, in the order
 * the SIMD epilogue applies them,
 * so that both give the same floats bit for bit.
 */
public final class Int8ConvReference {

    private Int8ConvReference() {
    }

    /**
     * {@code y = clamp(r(float(Σ w·(q(x) - zp))·(xScale·wScale[m]) + bias[m]) + residual, lo, hi)}, groups 1, where
     * {@code r} rounds to the output's levels and back when {@code output} is given (else leaves the value); a
     * padded tap reads 0.0, whose level is the zero point, and so adds nothing.
     *
     * @param weight int8 levels {@code [cout, cin, kh, kw]}
     * @param wScale one scale per output channel
     * @param output how the output is requantized, or null
     */
    public static void forward(ConvGeometry g, float[] x, ActivationQuantization input, byte[] weight,
                               float[] wScale, float[] bias, ActivationQuantization output, float[] residual,
                               float lo, float hi, float[] y) {
        float xScale = input.scale();
        int zeroPoint = input.zeroPoint();
        int min = input.min();
        int max = input.max();
        int outH = g.outH();
        int outW = g.outW();
        int plane = g.h() * g.w();
        for (int n = 0; n < g.n(); n++) {
            for (int m = 0; m < g.cout(); m++) {
                float scale = xScale * wScale[m];
                for (int oh = 0; oh < outH; oh++) {
                    for (int ow = 0; ow < outW; ow++) {
                        long acc = 0;
                        for (int c = 0; c < g.cin(); c++) {
                            for (int i = 0; i < g.kh(); i++) {
                                int ih = oh * g.strideH() - g.padH() + i * g.dilationH();
                                for (int j = 0; j < g.kw(); j++) {
                                    int iw = ow * g.strideW() - g.padW() + j * g.dilationW();
                                    if (ih < 0 || ih >= g.h() || iw < 0 || iw >= g.w()) {
                                        continue;
                                    }
                                    float v = x[(n * g.cin() + c) * plane + ih * g.w() + iw];
                                    double level = Math.max(min, Math.min(max, Math.rint(v / xScale) + zeroPoint));
                                    acc += weight[((m * g.cin() + c) * g.kh() + i) * g.kw() + j] * ((int) level - zeroPoint);
                                }
                            }
                        }
                        int at = ((n * g.cout() + m) * outH + oh) * outW + ow;
                        float v = (float) acc * scale + (bias == null ? 0f : bias[m]);
                        if (output != null) {
                            v = (output.quantize(v) - output.zeroPoint()) * output.scale();
                        }
                        if (residual != null) {
                            v += residual[at];
                        }
                        y[at] = Math.min(Math.max(v, lo), hi);
                    }
                }
            }
        }
    }
}
