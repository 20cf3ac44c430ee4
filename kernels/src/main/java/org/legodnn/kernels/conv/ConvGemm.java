package org.legodnn.kernels.conv;

import java.util.Arrays;
import org.legodnn.kernels.Parallel;
import org.legodnn.kernels.gemm.Gemm;

/**
 * The training side of every convolution with more than one input channel per group: the forward pass and both
 * gradients, routed so that as much as possible runs on the inference road ({@link PackedConv}).
 * <ul>
 *   <li>Forward: {@link PackedConv} with the weights packed once per call, so training and inference share one
 *       path (direct for stride 1, {@link ConvDirect}; im2col and the packed GEMM otherwise).</li>
 *   <li>Input gradient: for stride 1 a forward convolution of the output gradient ({@link #transposedForward});
 *       otherwise, per image, {@code wᵀ·gy} into a column matrix that col2im scatters back.</li>
 *   <li>Weight gradient: for stride 1 {@link ConvDirectGrad}; otherwise, per image, im2col and
 *       {@code gy·colᵀ} by {@link Gemm}.</li>
 * </ul>
 * A 1x1, stride-1, unpadded convolution skips im2col, since its input already is the column matrix. The column
 * matrix is built for a band of output rows at a time ({@link #bandRows}) so that its buffer stays bounded
 * (about 1 MB per thread) for large images. Work is spread over images when the batch fills the threads evenly;
 * otherwise images run one after another and {@link Gemm} (and im2col/col2im) parallelise inside each image.
 */
final class ConvGemm {

    /** Floats of column matrix per band (1 MB): bounds the buffer; smaller bands measured slower. */
    private static final int BAND_FLOATS = 1 << 18;
    /** Output positions per band at least, so that each Gemm call has columns enough for its threads. */
    private static final int BAND_MIN_COLUMNS = 256;
    /** Below this many floats of im2col/col2im work, a serial loop beats a parallel one. */
    private static final int PARALLEL_COPY_MIN = 1 << 15;

    private ConvGemm() {
    }

    /** Whether {@code g}'s input is its own column matrix: 1x1 kernel, stride 1, no padding. */
    static boolean isPointwise(ConvGeometry g) {
        return g.kh() == 1 && g.kw() == 1 && g.strideH() == 1 && g.strideW() == 1 && g.padH() == 0 && g.padW() == 0;
    }

    /** Whether to run images in parallel (each serial inside) rather than parallelise within each image. */
    static boolean imageParallel(int n) {
        int t = Parallel.threads();
        return t > 1 && n > 1 && (n >= 2 * t || n % t == 0);
    }

    /** Output rows per band of the column matrix, for a reduction length {@code k = cinPerGroup·kh·kw}. */
    static int bandRows(ConvGeometry g, int k) {
        int ow = g.outW();
        int rows = Math.max(BAND_FLOATS / (k * ow), (BAND_MIN_COLUMNS + ow - 1) / ow);
        return Math.max(1, Math.min(g.outH(), rows));
    }

    /**
     * {@code y = conv2d(x, w) + bias} on the inference road: the weights are packed once for the whole batch
     * ({@link PackedConv}) instead of once per image and band, and the GEMM's tiles go straight into {@code y}.
     */
    static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y) {
        PackedConv.of(w, g.cout(), g.cinPerGroup(), g.kh(), g.kw(), g.groups(), bias,
                Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY).forward(g, x, null, y);
    }

    /**
     * {@code gx = conv2d}ᵀ{@code (gy)}. With stride and dilation 1 this is itself a convolution
     * ({@link #transposedForward}), which runs on the packed forward road with a deep reduction
     * ({@code cout·kh·kw}) instead of a product of depth {@code cout} followed by a scatter-add (col2im) over a
     * zeroed {@code gx}.
     */
    static void backwardInput(ConvGeometry g, float[] gy, float[] w, float[] gx) {
        if (g.strideH() == 1 && g.strideW() == 1 && g.dilationH() == 1 && g.dilationW() == 1
                && g.padH() < g.kh() && g.padW() < g.kw()) {
            transposedForward(g, gy, w, gx);
        } else {
            backwardInputScatter(g, gy, w, gx);
        }
    }

    /** {@code gx = wᵀ·gy} per image into a column matrix, scattered back onto {@code gx} (col2im). */
    static void backwardInputScatter(ConvGeometry g, float[] gy, float[] w, float[] gx) {
        if (imageParallel(g.n())) {
            Parallel.forEach(g.n(), img -> backwardInputImage(g, gy, w, gx, img));
        } else {
            for (int img = 0; img < g.n(); img++) {
                backwardInputImage(g, gy, w, gx, img);
            }
        }
    }

    /**
     * The input gradient of a stride-1, undilated convolution as a forward convolution of {@code gy}: input and
     * output channels swap within each group, the kernel turns by 180° and the padding becomes {@code k − 1 − pad}
     * on each axis, so that every input position gathers exactly the output gradients it contributed to.
     */
    static void transposedForward(ConvGeometry g, float[] gy, float[] w, float[] gx) {
        int cing = g.cinPerGroup(), coutg = g.coutPerGroup(), kh = g.kh(), kw = g.kw(), taps = kh * kw;
        float[] turned = new float[w.length];
        for (int grp = 0; grp < g.groups(); grp++) {
            for (int oc = 0; oc < coutg; oc++) {
                for (int ic = 0; ic < cing; ic++) {
                    int src = ((grp * coutg + oc) * cing + ic) * taps;
                    int dst = ((grp * cing + ic) * coutg + oc) * taps;
                    for (int t = 0; t < taps; t++) {
                        turned[dst + taps - 1 - t] = w[src + t];
                    }
                }
            }
        }
        ConvGeometry back = new ConvGeometry(g.n(), g.cout(), g.outH(), g.outW(), g.cin(), kh, kw, 1, 1,
                kh - 1 - g.padH(), kw - 1 - g.padW(), 1, 1, g.groups());
        PackedConv.of(turned, g.cin(), coutg, kh, kw, g.groups(), null,
                Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY).forward(back, gy, null, gx);
    }

    /**
     * {@code gw = Σ_images gy·colᵀ}. In the batch-parallel case each chunk of images sums into its own
     * buffer (the first into {@code gw}) and the buffers are added at the end.
     */
    static void backwardWeight(ConvGeometry g, float[] x, float[] gy, float[] gw) {
        if (ConvDirectGrad.suits(g)) {
            ConvDirectGrad.backwardWeight(g, x, gy, gw);
            return;
        }
        backwardWeightColumns(g, x, gy, gw);
    }

    /** {@link #backwardWeight} through a column matrix per image (im2col), for every geometry. */
    static void backwardWeightColumns(ConvGeometry g, float[] x, float[] gy, float[] gw) {
        overImages(g, gw, false, (dst, off, from, to, spread) -> backwardWeightImages(g, x, gy, dst, off, from, to));
    }

    /** The weight gradient of images {@code [from, to)}, overwritten into {@code dst} at {@code off}. */
    interface WeightGradientPart {
        /** With {@code spread} the part may use every thread; otherwise it runs on the calling thread. */
        void compute(float[] dst, int off, int from, int to, boolean spread);
    }

    /**
     * {@code gw = Σ_images} of {@code part}: in one piece when the images run one after another, else one piece
     * per thread, each into its own buffer (the first into {@code gw}), added together at the end.
     */
    static void overImages(ConvGeometry g, float[] gw, boolean spreadWhenSerial, WeightGradientPart part) {
        int n = g.n();
        if (!imageParallel(n)) {
            part.compute(gw, 0, 0, n, spreadWhenSerial);
            return;
        }
        int chunks = Math.min(Parallel.threads(), n);
        int size = g.weightSize();
        float[] partials = ConvScratch.PARTIALS.take((chunks - 1) * size);
        Parallel.forEach(chunks, c -> {
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
            if (c == 0) {
                part.compute(gw, 0, from, to, false);
            } else {
                part.compute(partials, (c - 1) * size, from, to, false);
            }
        });
        Parallel.forRange(size, 1 << 14, (from, to) -> {
            for (int c = 1; c < chunks; c++) {
                int off = (c - 1) * size;
                for (int i = from; i < to; i++) {
                    gw[i] += partials[off + i];
                }
            }
        });
    }

    private static void backwardInputImage(ConvGeometry g, float[] gy, float[] w, float[] gx, int img) {
        int cing = g.cinPerGroup(), coutg = g.coutPerGroup();
        int k = cing * g.kh() * g.kw();
        int hw = g.h() * g.w(), oh = g.outH(), ow = g.outW(), ohw = oh * ow;
        boolean pointwise = isPointwise(g);
        int band = bandRows(g, k);
        float[] col = pointwise ? null : ConvScratch.COLUMNS.take(k * band * ow);
        for (int grp = 0; grp < g.groups(); grp++) {
            int xOff = (img * g.cin() + grp * cing) * hw;
            int yOff = (img * g.cout() + grp * coutg) * ohw;
            int wOff = grp * coutg * k;
            if (pointwise) {
                Gemm.sgemm(true, false, cing, hw, coutg, w, wOff, k, gy, yOff, ohw, false, gx, xOff, hw);
                continue;
            }
            Arrays.fill(gx, xOff, xOff + cing * hw, 0f);
            for (int oy0 = 0; oy0 < oh; oy0 += band) {
                int oy1 = Math.min(oh, oy0 + band);
                int cols = (oy1 - oy0) * ow;
                Gemm.sgemm(true, false, k, cols, coutg, w, wOff, k, gy, yOff + oy0 * ow, ohw, false, col, 0, cols);
                col2imParallel(g, col, gx, xOff, cing, oy0, oy1);
            }
        }
    }

    /** Sums the weight gradient of images {@code [from, to)} into {@code gw} at {@code gwOff} (overwritten). */
    private static void backwardWeightImages(ConvGeometry g, float[] x, float[] gy, float[] gw, int gwOff,
                                             int from, int to) {
        int cing = g.cinPerGroup(), coutg = g.coutPerGroup();
        int k = cing * g.kh() * g.kw();
        int hw = g.h() * g.w(), oh = g.outH(), ow = g.outW(), ohw = oh * ow;
        boolean pointwise = isPointwise(g);
        int band = bandRows(g, k);
        float[] col = pointwise ? null : ConvScratch.COLUMNS.take(k * band * ow);
        for (int img = from; img < to; img++) {
            for (int grp = 0; grp < g.groups(); grp++) {
                int xOff = (img * g.cin() + grp * cing) * hw;
                int yOff = (img * g.cout() + grp * coutg) * ohw;
                int gwg = gwOff + grp * coutg * k;
                if (pointwise) {
                    Gemm.sgemm(false, true, coutg, k, ohw, gy, yOff, ohw, x, xOff, hw, img > from, gw, gwg, k);
                    continue;
                }
                for (int oy0 = 0; oy0 < oh; oy0 += band) {
                    int oy1 = Math.min(oh, oy0 + band);
                    int cols = (oy1 - oy0) * ow;
                    im2colParallel(g, x, xOff, col, k, oy0, oy1);
                    Gemm.sgemm(false, true, coutg, k, cols, gy, yOff + oy0 * ow, ohw, col, 0, cols,
                            img > from || oy0 > 0, gw, gwg, k);
                }
            }
        }
    }

    private static void col2imParallel(ConvGeometry g, float[] col, float[] gx, int xOff, int channels,
                                       int oy0, int oy1) {
        int minChannels = Math.max(1, PARALLEL_COPY_MIN / (g.kh() * g.kw() * (oy1 - oy0) * g.outW()));
        Parallel.forRange(channels, minChannels, (from, to) -> ConvIm2col.col2im(g, col, gx, xOff, from, to, oy0, oy1));
    }

    private static void im2colParallel(ConvGeometry g, float[] x, int xOff, float[] col, int rows, int oy0, int oy1) {
        int minRows = Math.max(1, PARALLEL_COPY_MIN / ((oy1 - oy0) * g.outW()));
        Parallel.forRange(rows, minRows, (from, to) -> ConvIm2col.im2col(g, x, xOff, col, from, to, oy0, oy1));
    }
}
