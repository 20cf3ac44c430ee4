package org.legodnn.kernels.conv;

import org.legodnn.kernels.Parallel;
import org.legodnn.kernels.gemm.GemmMicroKernel;
import org.legodnn.kernels.gemm.GemmPacked;
import org.legodnn.kernels.gemm.GemmPackedColumns;
import org.legodnn.kernels.gemm.PackedColumns;
import org.legodnn.kernels.gemm.PackedMatrix;

/**
 * A convolution prepared once for inference: its weights packed for {@link GemmPacked} when the model is
 * loaded rather than on every call, and its epilogue — bias, an optional residual input of the output's
 * shape, and a clamp ({@code [0, ∞)} for ReLU, {@code [0, 6]} for ReLU6, infinite for none) — applied while
 * each output tile is still in cache. With BatchNorm folded into the weights and bias beforehand, one call
 * does what conv, BatchNorm, add and ReLU did in four passes over memory.
 *
 * <p>A 3×3 stride-1 convolution with tiles enough runs {@link ConvWinograd} (F(4×4, 3×3)) unless
 * {@code -Dlegodnn.winograd=off} ({@link ConvWinograd#ENABLED}). Otherwise the
 * paths are {@link ConvKernel}'s: depthwise (one input channel per group) runs {@link ConvDepthwise}
 * with the clamp applied before its stores; a convolution with more than one tap and few output channels (or a
 * network's stem) runs {@link ConvDirect} straight from the padded (with a stride, phase) planes; a 1x1 stride-1
 * unpadded convolution multiplies the input directly; everything else goes through a band of im2col at a time. Immutable and thread-safe; the
 * geometry (batch and image size) is given per call. {@link org.legodnn.kernels.reference.PackedConvReference}
 * is the definition it is checked against.
 */
public final class PackedConv implements PreparedConv {

    private final int cout;
    private final int cinPerGroup;
    private final int kh;
    private final int kw;
    private final int groups;
    private final float[] weight;
    private final float[] bias;
    private final float lo;
    private final float hi;
    /** Per group, its {@code coutPerGroup × cinPerGroup·kh·kw} weight matrix; null on the depthwise path. */
    private final PackedMatrix[] packed;
    /** The same, transposed, for outputs with few positions; packed on first need. */
    private volatile PackedColumns[] columns;
    /** The Winograd-transformed weights, for calls that {@link ConvWinograd#suits}; made on first need. */
    private volatile ConvWinograd winograd;

    private PackedConv(int cout, int cinPerGroup, int kh, int kw, int groups, float[] weight, float[] bias,
                       float lo, float hi, PackedMatrix[] packed) {
        this.cout = cout;
        this.cinPerGroup = cinPerGroup;
        this.kh = kh;
        this.kw = kw;
        this.groups = groups;
        this.weight = weight;
        this.bias = bias;
        this.lo = lo;
        this.hi = hi;
        this.packed = packed;
    }

    /**
     * Prepares the convolution with weight {@code [cout, cinPerGroup, kh, kw]} (PyTorch layout), bias
     * {@code [cout]} (or null) and output clamp {@code [lo, hi]}. The arrays are copied.
     */
    public static PackedConv of(float[] weight, int cout, int cinPerGroup, int kh, int kw, int groups,
                                float[] bias, float lo, float hi) {
        if (cout < 1 || cinPerGroup < 1 || kh < 1 || kw < 1 || groups < 1 || cout % groups != 0) {
            throw new IllegalArgumentException("packed conv: weight [" + cout + ", " + cinPerGroup + ", " + kh + ", "
                    + kw + "] with " + groups + " groups: sizes must be positive and groups must divide out_channels");
        }
        int k = cinPerGroup * kh * kw;
        if (weight == null || weight.length != cout * k) {
            throw new IllegalArgumentException("packed conv: weight [" + cout + ", " + cinPerGroup + ", " + kh + ", "
                    + kw + "] needs " + cout * k + " floats, got " + (weight == null ? "null" : weight.length));
        }
        if (bias != null && bias.length != cout) {
            throw new IllegalArgumentException("packed conv: bias needs " + cout + " floats, got " + bias.length);
        }
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("packed conv: clamp [" + lo + ", " + hi + "] is empty");
        }
        PackedMatrix[] packed = null;
        if (cinPerGroup > 1) {
            int coutg = cout / groups;
            packed = new PackedMatrix[groups];
            for (int grp = 0; grp < groups; grp++) {
                packed[grp] = PackedMatrix.pack(coutg, k, weight, grp * coutg * k, k);
            }
        }
        return new PackedConv(cout, cinPerGroup, kh, kw, groups, weight.clone(), bias == null ? null : bias.clone(),
                lo, hi, packed);
    }

    /**
     * {@code y = clamp(conv2d(x, w) + bias + residual, lo, hi)} for the batch and image size of {@code g},
     * whose channels, kernel and groups must be this convolution's. {@code residual} (the output's shape)
     * may be null; {@code y} is overwritten and must not be {@code x} or {@code residual}.
     */
    @Override
    public void forward(ConvGeometry g, float[] x, float[] residual, float[] y) {
        if (g.cout() != cout || g.cinPerGroup() != cinPerGroup || g.kh() != kh || g.kw() != kw
                || g.groups() != groups) {
            throw new IllegalArgumentException("packed conv: prepared for weight [" + cout + ", " + cinPerGroup + ", "
                    + kh + ", " + kw + "] with " + groups + " groups, called with " + g);
        }
        g.requireBuffers("packed conv", x, residual, y);
        if (ConvWinograd.ENABLED && ConvWinograd.suits(g)) {
            winograd().forward(g, x, bias, residual, lo, hi, y);
            return;
        }
        if (packed == null) {
            if (residual == null) {
                ConvDepthwise.forward(g, x, weight, bias, lo, hi, y);
                return;
            }
            // A residual after a depthwise convolution (no zoo model has one): add it, then clamp.
            ConvDepthwise.forward(g, x, weight, bias, y);
            Parallel.forRange(g.outputSize(), 1 << 15, (from, to) -> addAndClamp(y, residual, from, to));
            return;
        }
        if (ConvDirect.suits(g)) {
            ConvDirect.forward(g, packed, x, bias, residual, lo, hi, y);
            return;
        }
        if (ConvGemm.imageParallel(g.n())) {
            Parallel.forEach(g.n(), img -> part(g, x, residual, y, img, -1, 0, g.outH(), 0, 1));
            return;
        }
        int threads = Parallel.threads();
        long macs = g.macs() / g.n();
        for (int img = 0; img < g.n(); img++) {
            if (threads <= 1 || macs < PARALLEL_MIN) {
                part(g, x, residual, y, img, -1, 0, g.outH(), 0, 1);
            } else {
                split(g, x, residual, y, img, threads);
            }
        }
    }

    /**
     * Below this many multiply-adds per image (about 15 µs of work), one thread is faster than handing half
     * of it to another ({@link Parallel}'s hand-off costs a few microseconds).
     */
    static final long PARALLEL_MIN = 1L << 20;

    /**
     * One image on {@code threads} threads in a single parallel region, each piece serial: by bands of
     * output rows when there are rows enough to balance, else by output channels (each piece then builds
     * the small column matrix itself, which costs less than a second hand-off between the threads).
     */
    private void split(ConvGeometry g, float[] x, float[] residual, float[] y, int img, int threads) {
        int oh = g.outH();
        boolean byRows = oh >= 4 * threads;
        int pieces;
        if (byRows) {
            int band = ConvGemm.bandRows(g, cinPerGroup * kh * kw);
            int bands = (oh + band - 1) / band;
            pieces = (bands + threads - 1) / threads * threads;
        } else {
            pieces = threads;
        }
        int per = pieces;
        Parallel.forEach(groups * pieces, u -> {
            int grp = u / per;
            int piece = u - grp * per;
            if (byRows) {
                part(g, x, residual, y, img, grp, oh * piece / per, oh * (piece + 1) / per, 0, 1);
            } else {
                part(g, x, residual, y, img, grp, 0, oh, piece, per);
            }
        });
    }

    /**
     * Output rows {@code [oy0, oy1)} of image {@code img}, group {@code grp} (-1: every group), channel part
     * {@code part} of {@code parts}, on the calling thread: im2col a band of rows at a time into this
     * thread's buffer, then the product with the epilogue.
     */
    private void part(ConvGeometry g, float[] x, float[] residual, float[] y, int img, int grp, int oy0, int oy1,
                      int part, int parts) {
        int coutg = g.coutPerGroup();
        int k = cinPerGroup * kh * kw;
        int hw = g.h() * g.w(), ow = g.outW(), ohw = g.outH() * ow;
        boolean pointwise = ConvGemm.isPointwise(g);
        int band = ConvGemm.bandRows(g, k);
        float[] col = pointwise ? null : ConvScratch.COLUMNS.take(k * band * ow);
        // A column stride makes im2col a gather; splitting the input into column phases first (one pass over
        // the rows it reads) makes it copies, which pays when the taps read each input value more than twice.
        boolean phased = !pointwise && g.strideW() > 1 && kh * kw > 2 * g.strideH() * g.strideW();
        float[] phases = phased ? ConvScratch.PHASES.take(ConvIm2col.phasesSize(g, cinPerGroup)) : null;
        for (int gr = grp < 0 ? 0 : grp; gr < (grp < 0 ? groups : grp + 1); gr++) {
            int xOff = (img * g.cin() + gr * cinPerGroup) * hw;
            int yOff = (img * cout + gr * coutg) * ohw;
            if (pointwise) {
                int cols = (oy1 - oy0) * ow;
                product(gr, part, parts, cols, ohw, x, xOff + oy0 * ow, hw, y, yOff + oy0 * ow, residual);
                continue;
            }
            if (phased) {
                int iyFrom = Math.max(0, oy0 * g.strideH() - g.padH());
                int iyTo = Math.min(g.h(), (oy1 - 1) * g.strideH() - g.padH() + (kh - 1) * g.dilationH() + 1);
                ConvIm2col.toPhases(g, x, xOff, phases, 0, cinPerGroup, iyFrom, iyTo);
            }
            for (int b0 = oy0; b0 < oy1; b0 += band) {
                int b1 = Math.min(oy1, b0 + band);
                int cols = (b1 - b0) * ow;
                if (phased) {
                    ConvIm2col.im2colPhased(g, phases, col, 0, k, b0, b1);
                } else {
                    ConvIm2col.im2col(g, x, xOff, col, 0, k, b0, b1);
                }
                product(gr, part, parts, cols, ohw, col, 0, cols, y, yOff + b0 * ow, residual);
            }
        }
    }

    /**
     * Output channels of group {@code grp} (part {@code part} of {@code parts}) for {@code cols} positions,
     * from the column matrix {@code b} ({@code k × cols} at {@code bOff}, rows {@code ldb} apart) into
     * {@code y} at {@code yOff} (channel planes {@code ldy} apart), on the calling thread, in whichever
     * orientation pads less: weights × positions, or positions × weights when the positions are few.
     */
    private void product(int grp, int part, int parts, int cols, int ldy, float[] b, int bOff, int ldb, float[] y,
                         int yOff, float[] residual) {
        int coutg = cout / groups;
        if (positionsFirst(coutg, cols, cinPerGroup * kh * kw)) {
            PackedColumns w = columns()[grp];
            int q0 = w.panels() * part / parts;
            int q1 = w.panels() * (part + 1) / parts;
            if (q0 < q1) {
                GemmPackedColumns.multiply(cols, b, bOff, ldb, w, q0, q1, y, yOff, ldy, bias, grp * coutg,
                        residual, yOff, lo, hi, 1);
            }
        } else {
            PackedMatrix w = packed[grp];
            int q0 = w.panels() * part / parts;
            int q1 = w.panels() * (part + 1) / parts;
            if (q0 < q1) {
                GemmPacked.multiply(w, q0, q1, cols, b, bOff, ldb, y, yOff, ldy, bias, grp * coutg,
                        residual, yOff, lo, hi, 1);
            }
        }
    }

    /**
     * Whether positions × weights pads the micro-kernel's tiles clearly less than weights × positions (its
     * tiles are {@code MR×NR}; rows and columns are padded to whole tiles) in a product deep enough to
     * amortise its per-tile transposed store. Measured on a 16-lane machine: ResNet-18's 512×7×7 3x3
     * convolution (depth 4608) runs 16% faster positions first, its 256×14×14 one (2304) the same, and
     * everything shallower (MobileNetV2's 1x1 convolutions, depth 96 to 960) up to 2.5× slower.
     */
    static boolean positionsFirst(int channels, int positions, int depth) {
        if (depth < 2048) {
            return false;
        }
        long weightsFirst = roundUp(channels, GemmMicroKernel.MR) * (long) roundUp(positions, GemmMicroKernel.NR);
        long positionsFirst = roundUp(positions, GemmMicroKernel.MR) * (long) roundUp(channels, GemmMicroKernel.NR);
        return positionsFirst * 20 < weightsFirst * 19;
    }

    private PackedColumns[] columns() {
        PackedColumns[] c = columns;
        if (c == null) {
            synchronized (this) {
                c = columns;
                if (c == null) {
                    int coutg = cout / groups;
                    int k = cinPerGroup * kh * kw;
                    c = new PackedColumns[groups];
                    for (int grp = 0; grp < groups; grp++) {
                        c[grp] = PackedColumns.packTransposed(coutg, k, weight, grp * coutg * k);
                    }
                    columns = c;
                }
            }
        }
        return c;
    }

    private ConvWinograd winograd() {
        ConvWinograd w = winograd;
        if (w == null) {
            synchronized (this) {
                w = winograd;
                if (w == null) {
                    w = ConvWinograd.of(weight, cout, cinPerGroup);
                    winograd = w;
                }
            }
        }
        return w;
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    private void addAndClamp(float[] y, float[] residual, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = Math.min(Math.max(y[i] + residual[i], lo), hi);
        }
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
}
