package org.legodnn.kernels.quant;

import org.legodnn.kernels.Parallel;
import org.legodnn.kernels.conv.ConvGeometry;
import org.legodnn.kernels.conv.PreparedConv;
import org.legodnn.kernels.reference.Int8ConvReference;

/**
 * A quantized convolution prepared once for inference: the int8 weights of a QDQ model with their per-channel
 * scales, run in integers instead of dequantized to floats. Per image the float input is quantized on the way in
 * ({@link ActivationQuantization}), laid out as a byte im2col matrix ({@link Int8Columns}), multiplied by the
 * weights with exact int32 accumulation ({@link Int8Gemm}), and turned back into floats in the epilogue with
 * the bias, an optional residual and a clamp (ReLU) — what the QDQ graph computes, without its rounding of
 * every float partial sum. Groups other than 1 are not supported (depthwise layers stay in float).
 *
 * <p>On the SIMD device it runs the Vector API kernels; on the scalar device {@link Int8ConvReference}, the
 * definition both are checked against. Immutable and thread-safe.
 */
public final class Int8Conv implements PreparedConv {

    private static final ThreadLocal<byte[][]> SCRATCH = ThreadLocal.withInitial(() -> new byte[3][0]);
    /** Below this many multiply-adds per image one thread does the whole image. */
    private static final long PARALLEL_MIN = 1L << 18;

    private final int cout;
    private final int cin;
    private final int kh;
    private final int kw;
    private final byte[] weight;
    private final byte[] packed;
    private final float[] weightScales;
    private final ActivationQuantization input;
    private final Int8Gemm.Epilogue epilogue;
    private final boolean simd;

    private Int8Conv(int cout, int cin, int kh, int kw, byte[] weight, float[] weightScales,
                     ActivationQuantization input, Int8Gemm.Epilogue epilogue, boolean simd) {
        this.cout = cout;
        this.cin = cin;
        this.kh = kh;
        this.kw = kw;
        this.weight = weight;
        this.packed = Int8Gemm.pack(weight, cout, cin * kh * kw);
        this.weightScales = weightScales;
        this.input = input;
        this.epilogue = epilogue;
        this.simd = simd;
    }

    /**
     * Prepares {@code y = clamp(r(conv2d(dq(q(x)), dq(weight)) + bias) + residual, lo, hi)}, where {@code r} is the
     * output's quantize-dequantize when {@code output} is given (requantization in the epilogue), else nothing.
     *
     * @param weight       int8 levels {@code [cout, cin, kh, kw]} (symmetric: zero point 0)
     * @param weightScales one scale per output channel, or one for all
     * @param input        how the input is quantized
     * @param bias         {@code [cout]} floats, or null
     * @param output       how the output is rounded to levels and back, or null
     * @param simd         whether to run the Vector API kernels (else the scalar reference)
     */
    public static Int8Conv of(byte[] weight, int cout, int cin, int kh, int kw, float[] weightScales,
                              ActivationQuantization input, float[] bias, ActivationQuantization output, float lo,
                              float hi, boolean simd) {
        int k = cin * kh * kw;
        if (cout < 1 || cin < 1 || kh < 1 || kw < 1 || weight == null || weight.length != cout * k) {
            throw new IllegalArgumentException("int8 conv: weight [" + cout + ", " + cin + ", " + kh + ", " + kw
                    + "] needs " + (long) cout * k + " bytes, got " + (weight == null ? "null" : weight.length));
        }
        if (weightScales.length != 1 && weightScales.length != cout) {
            throw new IllegalArgumentException("int8 conv: " + weightScales.length + " weight scales for " + cout
                    + " output channels, expected 1 or " + cout);
        }
        if (bias != null && bias.length != cout) {
            throw new IllegalArgumentException("int8 conv: bias needs " + cout + " floats, got " + bias.length);
        }
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("int8 conv: clamp [" + lo + ", " + hi + "] is empty");
        }
        float[] perChannel = new float[cout];
        float[] scales = new float[cout];
        int[] correction = new int[cout];
        for (int m = 0; m < cout; m++) {
            float ws = weightScales[weightScales.length == 1 ? 0 : m];
            if (!(ws > 0f) || Float.isInfinite(ws)) {
                throw new IllegalArgumentException("int8 conv: weight scale " + ws + " of output channel " + m
                        + ", expected a positive finite number");
            }
            perChannel[m] = ws;
            scales[m] = input.scale() * ws;
            int rowSum = 0;
            for (int i = m * k; i < (m + 1) * k; i++) {
                rowSum += weight[i];
            }
            // Σ w·(level - zp) = Σ w·stored + (offset - zp)·Σ w, stored = level - offset.
            correction[m] = (input.offset() - input.zeroPoint()) * rowSum;
        }
        return new Int8Conv(cout, cin, kh, kw, weight.clone(), perChannel, input,
                new Int8Gemm.Epilogue(correction, scales, bias == null ? null : bias.clone(), output, lo, hi), simd);
    }

    @Override
    public int outChannels() {
        return cout;
    }

    @Override
    public int kernelH() {
        return kh;
    }

    @Override
    public int kernelW() {
        return kw;
    }

    /**
     * {@code y = clamp(conv2d(x) + bias + residual, lo, hi)} for the batch and image size of {@code g}, whose
     * channels and kernel must be this convolution's and whose groups must be 1. {@code residual} may be null;
     * {@code y} must not be {@code x} or {@code residual}.
     */
    @Override
    public void forward(ConvGeometry g, float[] x, float[] residual, float[] y) {
        if (g.cout() != cout || g.cin() != cin || g.kh() != kh || g.kw() != kw || g.groups() != 1) {
            throw new IllegalArgumentException("int8 conv: prepared for weight [" + cout + ", " + cin + ", " + kh
                    + ", " + kw + "] in one group, called with " + g);
        }
        g.requireBuffers("int8 conv", x, residual, y);
        if (!simd) {
            Int8ConvReference.forward(g, x, input, weight, weightScales, epilogue.bias(), epilogue.output(), residual,
                    epilogue.lo(), epilogue.hi(), y);
            return;
        }
        long macs = g.macs() / g.n();
        if (g.n() > 1 && Parallel.threads() > 1) {
            Parallel.forEach(g.n(), img -> image(g, x, residual, y, img, false));
        } else {
            for (int img = 0; img < g.n(); img++) {
                image(g, x, residual, y, img, macs >= PARALLEL_MIN);
            }
        }
    }

    /** One image: quantize, im2col, then the column tiles (spread over the pool when {@code split}). */
    private void image(ConvGeometry g, float[] x, float[] residual, float[] y, int img, boolean split) {
        int plane = g.cin() * g.h() * g.w();
        int positions = g.outH() * g.outW();
        int k = cin * kh * kw;
        int panels = (positions + Int8Gemm.COLUMNS - 1) / Int8Gemm.COLUMNS;
        byte[][] scratch = SCRATCH.get();
        byte[] quantized = grow(scratch, 0, plane);
        QuantizeKernel.levels(x, img * plane, plane, input, quantized, 0);
        byte[] padded = quantized;
        if (g.padH() > 0 || g.padW() > 0) {
            padded = grow(scratch, 1, g.cin() * (g.h() + 2 * g.padH()) * (g.w() + 2 * g.padW()));
            Int8Columns.pad(g, quantized, (byte) (input.zeroPoint() - input.offset()), padded);
        }
        byte[] cols = grow(scratch, 2, panels * k * Int8Gemm.COLUMNS + Int8Gemm.SLACK);
        Int8Columns.im2col(g, padded, cols, Int8Gemm.COLUMNS);
        int yOff = img * cout * positions;
        if (!split) {
            Int8Gemm.tiles(cout, positions, k, packed, cols, epilogue, residual, y, yOff, 0, panels);
            return;
        }
        Parallel.forRange(panels, 1, (from, to) -> Int8Gemm.tiles(cout, positions, k, packed, cols, epilogue,
                residual, y, yOff, from, to));
    }

    private static byte[] grow(byte[][] scratch, int which, int size) {
        if (scratch[which].length < size) {
            scratch[which] = new byte[Math.max(size, scratch[which].length + (scratch[which].length >> 1))];
        }
        return scratch[which];
    }
}
