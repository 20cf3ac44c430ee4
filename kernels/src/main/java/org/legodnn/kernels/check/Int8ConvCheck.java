package org.legodnn.kernels.check;

import java.util.Random;
import org.legodnn.kernels.conv.ConvGeometry;
import org.legodnn.kernels.quant.ActivationQuantization;
import org.legodnn.kernels.quant.Int8Conv;
import org.legodnn.kernels.quant.QuantizeKernel;
import org.legodnn.kernels.reference.ConvReference;
import org.legodnn.kernels.reference.Int8ConvReference;
import org.legodnn.kernels.reference.QuantizeReference;

/**
 * Compares the int8 convolution's Vector API path with {@link Int8ConvReference}, bit for bit: the sums are exact
 * integers and both epilogues round the same way. Geometries are {@link ConvCheck}'s fixed and random ones in one
 * group, plus deep layers and odd output sizes whose last tile is partial; inputs include values exactly halfway
 * between two levels (rounding ties) and values far outside the range (saturation); uint8 and int8 inputs, every
 * epilogue, with and without requantization of the output. It also holds the reference to what the QDQ graph means — the float convolution of the dequantized
 * input and weights — within float rounding.
 */
public final class Int8ConvCheck implements KernelCheck {

    @Override
    public String name() {
        return "int8 conv";
    }

    @Override
    public void run(long seed) {
        Random rnd = new Random(seed);
        for (ConvGeometry g : ConvCheck.fixedShapes()) {
            if (g.groups() == 1) {
                check(g, rnd);
            }
        }
        check(ConvGeometry.square(1, 64, 8, 8, 37, 3, 1, 1, 1, 1), rnd);
        check(ConvGeometry.square(2, 3, 33, 31, 16, 3, 2, 1, 1, 1), rnd);
        check(ConvGeometry.square(1, 300, 3, 3, 5, 1, 1, 0, 1, 1), rnd);
        checkQuantize(rnd);
        for (int i = 0; i < 30; i++) {
            ConvGeometry g = ConvCheck.randomGeometry(rnd);
            check(new ConvGeometry(g.n(), g.cin() / g.groups(), g.h(), g.w(), g.cout(), g.kh(), g.kw(), g.strideH(),
                    g.strideW(), g.padH(), g.padW(), g.dilationH(), g.dilationW(), 1), rnd);
        }
    }

    /** One geometry with random levels, scales and epilogue: SIMD against the reference, the reference against QDQ. */
    public static void check(ConvGeometry g, Random rnd) {
        int k = g.cin() * g.kh() * g.kw();
        ActivationQuantization q = rnd.nextBoolean()
                ? ActivationQuantization.uint8(0.01f + rnd.nextFloat() * 0.05f, rnd.nextInt(256))
                : ActivationQuantization.int8(0.01f + rnd.nextFloat() * 0.05f, rnd.nextInt(256) - 128);
        float[] x = inputs(rnd, g.inputSize(), q);
        byte[] w = new byte[g.cout() * k];
        for (int i = 0; i < w.length; i++) {
            w[i] = (byte) (rnd.nextInt(255) - 127);
        }
        float[] ws = new float[rnd.nextBoolean() ? 1 : g.cout()];
        for (int i = 0; i < ws.length; i++) {
            ws[i] = 0.001f + rnd.nextFloat() * 0.01f;
        }
        float[] bias = rnd.nextBoolean() ? Compare.random(rnd, g.cout()) : null;
        float[] residual = rnd.nextBoolean() ? Compare.random(rnd, g.outputSize()) : null;
        float[] clamp = PackedConvCheck.CLAMPS[rnd.nextInt(PackedConvCheck.CLAMPS.length)];
        ActivationQuantization out = rnd.nextBoolean() ? null
                : ActivationQuantization.uint8(0.005f + rnd.nextFloat() * 0.02f, rnd.nextInt(256));
        float[] perChannel = new float[g.cout()];
        for (int m = 0; m < g.cout(); m++) {
            perChannel[m] = ws[ws.length == 1 ? 0 : m];
        }
        float[] expected = new float[g.outputSize()];
        Int8ConvReference.forward(g, x, q, w, perChannel, bias, out, residual, clamp[0], clamp[1], expected);
        float[] actual = new float[g.outputSize()];
        Int8Conv.of(w, g.cout(), g.cin(), g.kh(), g.kw(), ws, q, bias, out, clamp[0], clamp[1], true)
                .forward(g, x, residual, actual);
        Compare.assertClose("int8 conv " + g + " " + q + " out " + out, expected, actual, 0f, 0f);
        // A float sum a hair from a level boundary may round to the neighbouring output level: one step at most.
        float step = out == null ? 0f : out.scale() * 1.001f;
        Compare.assertClose("int8 conv reference vs dequantized float conv " + g, qdq(g, x, q, w, perChannel, bias,
                out, residual, clamp), expected, 1e-4f, 1e-4f + step);
    }

    /** The vector quantize-dequantize against its reference, bit for bit, at odd offsets and lengths. */
    private static void checkQuantize(Random rnd) {
        for (int t = 0; t < 20; t++) {
            ActivationQuantization q = ActivationQuantization.uint8(0.01f + rnd.nextFloat() * 0.05f, rnd.nextInt(256));
            int len = 1 + rnd.nextInt(300);
            int off = rnd.nextInt(5);
            float[] x = inputs(rnd, off + len, q);
            float[] expected = x.clone();
            float[] actual = x.clone();
            QuantizeReference.fakeQuantize(x, off, len, q.scale(), q.zeroPoint(), q.min(), q.max(), expected);
            QuantizeKernel.fakeQuantize(x, off, len, q.scale(), q.zeroPoint(), q.min(), q.max(), actual);
            Compare.assertClose("quantize-dequantize " + q + " length " + len, expected, actual, 0f, 0f);
        }
    }

    /**
     * Mostly values inside the range, some exactly on a tie between two levels and some far outside it, so that
     * rounding and saturation are both exercised.
     */
    private static float[] inputs(Random rnd, int len, ActivationQuantization q) {
        float[] x = new float[len];
        float span = (q.max() - q.min()) * q.scale();
        float low = (q.min() - q.zeroPoint()) * q.scale();
        for (int i = 0; i < len; i++) {
            int kind = rnd.nextInt(10);
            if (kind == 0) {
                x[i] = (rnd.nextInt(255) + q.min() - q.zeroPoint() + 0.5f) * q.scale();
            } else if (kind == 1) {
                x[i] = (rnd.nextBoolean() ? 1 : -1) * span * (2 + rnd.nextFloat());
            } else {
                x[i] = low + rnd.nextFloat() * span;
            }
        }
        return x;
    }

    /** The float convolution of the dequantized input and weights, then the epilogue: what the QDQ graph means. */
    private static float[] qdq(ConvGeometry g, float[] x, ActivationQuantization q, byte[] w, float[] ws,
                               float[] bias, ActivationQuantization out, float[] residual, float[] clamp) {
        float[] xd = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            xd[i] = (q.quantize(x[i]) - q.zeroPoint()) * q.scale();
        }
        int k = g.cin() * g.kh() * g.kw();
        float[] wd = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            wd[i] = w[i] * ws[i / k];
        }
        float[] y = new float[g.outputSize()];
        ConvReference.forward(g, xd, wd, bias, y);
        for (int i = 0; i < y.length; i++) {
            float v = out == null ? y[i] : (out.quantize(y[i]) - out.zeroPoint()) * out.scale();
            v += residual == null ? 0f : residual[i];
            y[i] = Math.min(Math.max(v, clamp[0]), clamp[1]);
        }
        return y;
    }
}
