package org.legodnn.kernels.conv;

import static org.legodnn.kernels.gemm.GemmMicroKernel.MR;
import static org.legodnn.kernels.gemm.GemmMicroKernel.NR;

import java.util.Arrays;
import java.util.Locale;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.legodnn.kernels.Parallel;
import org.legodnn.kernels.gemm.GemmMicroKernel;
import org.legodnn.kernels.gemm.PackedMatrix;

/**
 * A 3×3 stride-1 convolution by Winograd's minimal filtering F(4×4, 3×3), because it needs 36 multiplies
 * per 4×4 output tile and input channel where the direct convolution needs 144: the bulk of a ResNet's
 * time is such layers. {@link org.legodnn.kernels.reference.WinogradReference} is the definition (and the
 * transform matrices) it is checked against.
 *
 * <p>The kernel transform {@code U = G g Gᵀ} runs once, when the layer is prepared: 36 matrices of
 * {@code cout × cin}, each packed ({@link PackedMatrix}) for the micro-kernel (four times the weights' size, hence
 * {@link #suits}: only where there are tiles enough to pay for reading them). A call cuts the output into
 * 4×4 tiles (all images' tiles in one index) and works through blocks of tiles sized to stay in L2, the
 * blocks spread over the threads. Per block, on its thread: split the input rows it reads into their phases
 * modulo 4 ({@link Phases}); copy each input channel's 6×6 patches out of the phases and transform them
 * ({@code Bᵀ d B}), vectorized across tiles, into 36 matrices {@code V[ξ]} of {@code cin × tiles}; 36 products
 * {@code M[ξ] = U[ξ]·V[ξ]}; then per output channel {@code clamp(Aᵀ M A + bias)}, again across tiles,
 * interleaved into the output rows (with a residual, added before the clamp).
 *
 * <p>Each transform's two passes (columns, then rows) go through a single call site of {@link #bt} (of
 * {@link #at}), in one loop whose arguments pick the pass. With two call sites, JDK 17's C2 inlined the second
 * copy without knowing its vectors' exact class: the second pass's stores were not intrinsified
 * ({@code -XX:+PrintInlining}: "VectorSupport::store ... failed to inline (intrinsic)", six of the thirteen in
 * {@code inputTransform}) and ran the Vector API's scalar fallback, boxing every vector, which made Winograd no
 * faster than im2col on most JVM starts and seven times slower on some.
 *
 * <p>Float32 rounding differs from the direct convolution's, and is larger (the transforms multiply by up
 * to 8 and sum up to 36 terms); ResNet-18 still stays within the 1e-4 that models are held to against
 * PyTorch.
 */
public final class ConvWinograd {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();
    /** Values in a 6×6 input tile, and the number of products. */
    private static final int XI = 36;

    /**
     * Fewest 4×4 output tiles per image for which {@link #suits} picks Winograd over im2col (a 14×14 output has
     * 16). Measured on one core with 16 float lanes: ResNet-18's 64×56×56 layer 1.81 against 2.26 ms, its
     * 128×28×28 layer 1.27 against 2.11 ms, 32×32×32 0.19 against 0.25 ms, its 256×14×14 layer (16 tiles) the
     * same time; with 8 lanes (AVX2, Zen 3) the 256×14×14 layer 1.5 against 3.2 ms. With fewer tiles the data
     * movement between tiles and images costs more than the products save (512×7×7, 4 tiles: 4.6 against 3.5 ms
     * with 8 lanes; 64×8×8 at batch 128: 8.6 against 8.1 ms with 16).
     */
    static final int MIN_TILES_PER_IMAGE = 16;

    /**
     * Fewest tiles per image for a layer that {@link ConvDirect} would take (few output channels): the direct path
     * beats Winograd below this (CIFAR ResNet's 32×16×16, 16 tiles, 8 lanes: 0.072 against 0.083 ms at batch 1,
     * 9.1 against 13.0 ms at batch 128).
     */
    static final int MIN_TILES_OVER_DIRECT = 49;

    /**
     * Fewest input channels: with fewer, the transforms cost more than the products they shrink (16×32×32
     * at batch 128: 17.6 against 11.6 ms).
     */
    static final int MIN_CHANNELS = 32;

    /**
     * The floats of one block's transformed input and products (256 KiB; more only where one panel of
     * {@code NR} tiles is larger), so that they stay in a 2 MiB L2
     * beside the transformed weights: inside ResNet-18 (JDK 25, one core) its Winograd layers took 15.3 ms
     * per call with these blocks, 15.7 ms with twice as large ones.
     */
    private static final int BLOCK_FLOATS = 1 << 16;

    /**
     * Whether {@link PackedConv} runs the convolutions that {@link #suits} here: yes unless
     * {@code -Dlegodnn.winograd=off} (to compare the paths on one machine). On a Zen 5 core, one thread, ResNet-18
     * at batch 1 took 24.5–26.3 ms with Winograd against 29.0–30.7 with im2col, on JDK 17 and on JDK 25 alike
     * (the two paths in turns in one JVM, BENCHMARKS.md "Winograd on JDK 17, again"). Until the transforms had one
     * call site each (see the class comment) JDK 17 was left on im2col.
     */
    public static final boolean ENABLED = enabled(System.getProperty("legodnn.winograd"));

    /** {@code -Dlegodnn.winograd}'s value: unset or {@code on} uses Winograd, {@code off} does not. */
    static boolean enabled(String setting) {
        if (setting == null || setting.isBlank()) {
            return true;
        }
        switch (setting.trim().toLowerCase(Locale.ROOT)) {
            case "on":
                return true;
            case "off":
                return false;
            default:
                throw new IllegalArgumentException("-Dlegodnn.winograd='" + setting + "': expected on or off");
        }
    }

    /** Floats between one of a block's 36 matrices and the next beyond their size: one cache line. */
    private static final int PLANE_PAD = 16;

    private final int cout;
    private final int cin;
    /** {@code U[ξ]}, {@code cout × cin} each. */
    private final PackedMatrix[] u;

    private ConvWinograd(int cout, int cin, PackedMatrix[] u) {
        this.cout = cout;
        this.cin = cin;
        this.u = u;
    }

    /**
     * Whether {@code g} is a convolution this kernel computes (3×3, stride 1, no dilation, one group) and
     * one where it is faster than the other paths: at least {@link #MIN_CHANNELS} input channels and
     * {@link #MIN_TILES_PER_IMAGE} output tiles per image ({@link #MIN_TILES_OVER_DIRECT} where
     * {@link ConvDirect} would run it).
     */
    public static boolean suits(ConvGeometry g) {
        int minTiles = ConvDirect.suits(g) ? MIN_TILES_OVER_DIRECT : MIN_TILES_PER_IMAGE;
        return computes(g) && g.cin() >= MIN_CHANNELS && tiles(g) / g.n() >= minTiles;
    }

    private static boolean computes(ConvGeometry g) {
        return g.kh() == 3 && g.kw() == 3 && g.strideH() == 1 && g.strideW() == 1 && g.dilationH() == 1
                && g.dilationW() == 1 && g.groups() == 1;
    }

    private static int tiles(ConvGeometry g) {
        return g.n() * ceilDiv(g.outH(), 4) * ceilDiv(g.outW(), 4);
    }

    /** Transforms and packs the weight {@code [cout, cin, 3, 3]} (PyTorch layout). */
    public static ConvWinograd of(float[] weight, int cout, int cin) {
        if (cout < 1 || cin < 1 || weight == null || weight.length != cout * cin * 9) {
            throw new IllegalArgumentException("winograd conv: weight [" + cout + ", " + cin + ", 3, 3] needs "
                    + cout * cin * 9 + " floats, got " + (weight == null ? "null" : weight.length));
        }
        float[] all = new float[Math.multiplyExact(XI, cout * cin)];
        for (int oc = 0; oc < cout * cin; oc++) {
            double[] gg = new double[18];
            for (int j = 0; j < 3; j++) {
                gTimes(weight[oc * 9 + j], weight[oc * 9 + 3 + j], weight[oc * 9 + 6 + j], gg, j, 3);
            }
            double[] uu = new double[36];
            for (int i = 0; i < 6; i++) {
                gTimes(gg[i * 3], gg[i * 3 + 1], gg[i * 3 + 2], uu, i * 6, 1);
            }
            for (int xi = 0; xi < XI; xi++) {
                all[xi * cout * cin + oc] = (float) uu[xi];
            }
        }
        PackedMatrix[] u = new PackedMatrix[XI];
        for (int xi = 0; xi < XI; xi++) {
            u[xi] = PackedMatrix.pack(cout, cin, all, xi * cout * cin, cin);
        }
        return new ConvWinograd(cout, cin, u);
    }

    /** {@code G·(g0, g1, g2)}: six values stored {@code stride} apart from {@code out[off]}, in double. */
    private static void gTimes(double g0, double g1, double g2, double[] out, int off, int stride) {
        out[off] = g0 / 4;
        out[off + stride] = -(g0 + g1 + g2) / 6;
        out[off + 2 * stride] = -(g0 - g1 + g2) / 6;
        out[off + 3 * stride] = g0 / 24 + g1 / 12 + g2 / 6;
        out[off + 4 * stride] = g0 / 24 - g1 / 12 + g2 / 6;
        out[off + 5 * stride] = g2;
    }

    /**
     * {@code y = clamp(conv2d(x, w) + bias + residual, lo, hi)}; {@code bias} and {@code residual} may be
     * null; {@code y} is overwritten and must not be {@code x} or {@code residual}.
     *
     * @throws IllegalArgumentException when {@code g} is not this layer's 3×3 stride-1 convolution
     */
    public void forward(ConvGeometry g, float[] x, float[] bias, float[] residual, float lo, float hi, float[] y) {
        if (!computes(g) || g.cin() != cin || g.cout() != cout) {
            throw new IllegalArgumentException("winograd conv: prepared for a 3x3 stride-1 convolution " + cin + " -> "
                    + cout + " channels, called with " + g);
        }
        require("input", x, g.inputSize(), g);
        require("output", y, g.outputSize(), g);
        if (residual != null) {
            require("residual", residual, g.outputSize(), g);
        }
        if (bias != null) {
            require("bias", bias, cout, g);
        }
        int tiles = tiles(g);
        int threads = Parallel.threads();
        if (threads > 1 && ceilDiv(tiles, NR) < threads) {
            // Fewer panels of tiles than threads: cut into blocks, each thread would fill its panel with padding
            // lanes (16 tiles on two threads: twice the work, no gain). Share one block's steps instead.
            Phases phases = Phases.split(g, x);
            Block b = new Block(g, 0, tiles);
            Parallel.forRange(cin, 1, (c0, c1) -> transformInputs(b, phases, c0, c1));
            Parallel.forRange(XI, 1, (x0, x1) -> multiply(b, x0, x1));
            Parallel.forRange(cout, 1, (o0, o1) -> transformOutputs(b, g, bias, residual, lo, hi, y, o0, o1));
            return;
        }
        int perBlock = Math.max(NR, BLOCK_FLOATS / (XI * (cin + cout)) / NR * NR);
        int blocks = ceilDiv(tiles, perBlock);
        if (threads > 1) {
            blocks = roundUp(Math.max(blocks, Math.min(threads, ceilDiv(tiles, NR))), threads);
        }
        int per = ceilDiv(tiles, blocks);
        int count = ceilDiv(tiles, per);
        Parallel.forEach(count, i -> {
            Block b = new Block(g, i * per, Math.min(tiles, (i + 1) * per));
            // The block splits the input rows it reads itself, on its own thread: split once for all blocks, half
            // the rows a thread read had been written by the other core (ResNet-18's 64×56×56 layer on two Zen 5
            // cores took 0.99 ms, no less than on one).
            Phases phases = Phases.split(g, x, b.runs);
            transformInputs(b, phases, 0, cin);
            multiply(b, 0, XI);
            transformOutputs(b, g, bias, residual, lo, hi, y, 0, cout);
        });
    }

    /**
     * The input cut into its 16 phases modulo the tile stride: phase {@code (p, k)} of a channel holds
     * {@code x[4·ty + p − pad][4·tx + k − pad]} at {@code [ty][tx]}, zeros outside the image, with one tile row
     * and column more than the output has. Row {@code i}, column {@code j} of the 6×6 patches of a run of
     * tiles along a tile row is then one contiguous slice: phase {@code (i mod 4, j mod 4)}, shifted by
     * {@code i / 4} rows and {@code j / 4} columns. So the patches are copied a vector at a time, where
     * gathering them value by value (or with vector gathers) costs more than the transforms and products.
     *
     * @param data the phases, {@code [planes, 4, 4, rows, cols]} from plane {@code firstPlane} (image × channels +
     *             channel) and tile row {@code firstRow}, followed by a vector's worth of slack
     */
    private record Phases(float[] data, int rows, int cols, int firstPlane, int firstRow) {

        /** Where phase {@code (p, k)} of channel plane {@code plane} (image × channels + channel) starts. */
        int at(int plane, int p, int k) {
            return (((plane - firstPlane) * 4 + p) * 4 + k) * rows * cols;
        }

        /** Where tile row {@code ty} starts within a phase. */
        int row(int ty) {
            return (ty - firstRow) * cols;
        }

        /** Every image and tile row, the planes split over the threads. */
        static Phases split(ConvGeometry g, float[] x) {
            int rows = ceilDiv(g.outH(), 4) + 1;
            int cols = ceilDiv(g.outW(), 4) + 1;
            float[] data = ConvScratch.WINOGRAD_PHASES.take(g.n() * g.cin() * 16 * rows * cols + L);
            Parallel.forRange(g.n() * g.cin(), Math.max(1, (1 << 14) / (16 * rows * cols)), (from, to) ->
                    fill(g, x, data, from, to, 0, 0, rows, cols));
            return new Phases(data, rows, cols, 0, 0);
        }

        /**
         * The tile rows that a block's runs read, on the calling thread: from its first run's row to one past its
         * last run's, of one image; of every image it touches when it spans several, whole.
         */
        static Phases split(ConvGeometry g, float[] x, Runs runs) {
            int last = runs.count() - 1;
            int img0 = runs.img()[0];
            int img1 = runs.img()[last];
            int tileRows = ceilDiv(g.outH(), 4) + 1;
            int row0 = img0 == img1 ? runs.ty()[0] : 0;
            int rows = img0 == img1 ? runs.ty()[last] + 2 - row0 : tileRows;
            int cols = ceilDiv(g.outW(), 4) + 1;
            int planes = (img1 - img0 + 1) * g.cin();
            float[] data = ConvScratch.WINOGRAD_PHASES.take(planes * 16 * rows * cols + L);
            fill(g, x, data, img0 * g.cin(), img0 * g.cin() + planes, img0 * g.cin(), row0, rows, cols);
            return new Phases(data, rows, cols, img0 * g.cin(), row0);
        }

        /** Planes {@code [from, to)}, tile rows {@code [row0, row0 + rows)}, into phases whose first plane is given. */
        private static void fill(ConvGeometry g, float[] x, float[] data, int from, int to, int firstPlane, int row0,
                                 int rows, int cols) {
            int size = rows * cols;
            int h = g.h();
            int w = g.w();
            int ph = g.padH();
            int pw = g.padW();
            // Tile columns [inFrom, inTo) read only columns inside the image.
            int inFrom = Math.min(cols, ceilDiv(pw, 4));
            int inTo = Math.max(inFrom, Math.min(cols, Math.floorDiv(w + pw - 4, 4) + 1));
            for (int plane = from; plane < to; plane++) {
                int src = plane * h * w;
                for (int yy = 4 * row0; yy < 4 * (row0 + rows); yy++) {
                    int iy = yy - ph;
                    int row = (((plane - firstPlane) * 4 + yy % 4) * 4) * size + (yy / 4 - row0) * cols;
                    if (iy < 0 || iy >= h) {
                        for (int k = 0; k < 4; k++) {
                            Arrays.fill(data, row + k * size, row + k * size + cols, 0f);
                        }
                        continue;
                    }
                    int s = src + iy * w - pw;
                    edgeColumns(x, s, w, pw, data, row, size, 0, inFrom);
                    for (int tx = inFrom; tx < inTo; tx++) {
                        data[row + tx] = x[s + 4 * tx];
                        data[row + size + tx] = x[s + 4 * tx + 1];
                        data[row + 2 * size + tx] = x[s + 4 * tx + 2];
                        data[row + 3 * size + tx] = x[s + 4 * tx + 3];
                    }
                    edgeColumns(x, s, w, pw, data, row, size, inTo, cols);
                }
            }
        }

        /** Tile columns {@code [from, to)} of one input row, checking each column against the image. */
        private static void edgeColumns(float[] x, int s, int w, int pw, float[] data, int row, int size, int from,
                                        int to) {
            for (int tx = from; tx < to; tx++) {
                for (int k = 0; k < 4; k++) {
                    int ix = 4 * tx + k - pw;
                    data[row + k * size + tx] = ix >= 0 && ix < w ? x[s + 4 * tx + k] : 0f;
                }
            }
        }
    }

    /**
     * A block's tiles as runs along tile rows: run {@code r} is tiles {@code tx[r] … tx[r] + n[r] − 1} of
     * tile row {@code ty[r]} of image {@code img[r]}, at lanes {@code lane[r] …} of the block.
     */
    private record Runs(int count, int[] img, int[] ty, int[] tx, int[] n, int[] lane) {

        static Runs of(ConvGeometry g, int t0, int t1) {
            int tw = ceilDiv(g.outW(), 4);
            int perImage = ceilDiv(g.outH(), 4) * tw;
            int max = (t1 - t0) / tw + 2;
            int[] img = new int[max];
            int[] ty = new int[max];
            int[] tx = new int[max];
            int[] n = new int[max];
            int[] lane = new int[max];
            int count = 0;
            for (int t = t0; t < t1; count++) {
                img[count] = t / perImage;
                ty[count] = t % perImage / tw;
                tx[count] = t % tw;
                n[count] = Math.min(tw - tx[count], t1 - t);
                lane[count] = t - t0;
                t += n[count];
            }
            return new Runs(count, img, ty, tx, n, lane);
        }
    }

    /**
     * Tiles {@code [t0, t1)} of a call, in three steps that may run on different threads: the input transform
     * ({@link #transformInputs}, by input channels), the 36 products ({@link #multiply(Block, int, int)}) and the
     * output transform ({@link #transformOutputs}, by output channels). {@code V[ξ]} is written straight in the
     * panel layout that {@link GemmMicroKernel} reads ({@code pw} tiles side by side per input channel), so the 36
     * products need no packing; {@code M[ξ]} has {@code cout} rounded up to whole {@code MR} rows. Each of the 36
     * matrices starts {@link #PLANE_PAD} floats past a multiple of the previous one's size, so that the
     * transforms' 36 streams do not all fall into one set of the L1 cache. {@code v} and {@code m} are the
     * buffers of the thread that makes the block; each step takes its patch buffer from the thread it runs on.
     */
    private final class Block {
        final int t0;
        final int t1;
        /** Tiles per panel of {@code V}: {@code NR}, or one vector where that pads fewer lanes. */
        final int pw;
        final int ld;
        /** Rows of the patch buffer: room for the last run's copy to overrun by less than a vector. */
        final int ldd;
        final int vPlane;
        final int mPlane;
        final float[] v;
        final float[] m;
        final Runs runs;

        Block(ConvGeometry g, int t0, int t1) {
            this.t0 = t0;
            this.t1 = t1;
            pw = panelWidth(t1 - t0);
            ld = roundUp(t1 - t0, pw);
            ldd = ld + L;
            vPlane = cin * ld + PLANE_PAD;
            mPlane = u[0].panels() * MR * ld + PLANE_PAD;
            v = ConvScratch.WINOGRAD_INPUT.take(XI * vPlane);
            m = ConvScratch.WINOGRAD_PRODUCT.take(XI * mPlane);
            runs = Runs.of(g, t0, t1);
        }

        /** This thread's patch buffer, 36 rows of {@link #ldd}. */
        float[] patchBuffer() {
            return ConvScratch.WINOGRAD_TILES.take(XI * ldd);
        }
    }

    /** {@code V[ξ]} of input channels {@code [c0, c1)}: their patches, transformed. */
    private void transformInputs(Block b, Phases x, int c0, int c1) {
        float[] d = b.patchBuffer();
        float[] tmp = ConvScratch.WINOGRAD_TMP.take(XI * L);
        // The lanes past the tiles are transformed and multiplied too (whole vectors and panels); left
        // holding whatever an earlier call did there, they can decay call after call into subnormal
        // numbers, on which every float operation is a hundred times slower. Zeros keep them harmless.
        for (int r = 0; r < XI; r++) {
            Arrays.fill(d, r * b.ldd + b.t1 - b.t0, r * b.ldd + b.ld, 0f);
        }
        for (int c = c0; c < c1; c++) {
            patches(x, c, b.runs, d, b.ldd);
            for (int t = 0; t < b.ld; t += L) {
                inputTransform(d, t, b.ldd, tmp, 0, b.v, t / b.pw * b.pw * cin + c * b.pw + t % b.pw, b.vPlane);
            }
        }
    }

    /** Products {@code [xi0, xi1)} of the 36: {@code M[ξ] = U[ξ]·V[ξ]}. */
    private void multiply(Block b, int xi0, int xi1) {
        for (int xi = xi0; xi < xi1; xi++) {
            multiply(u[xi], b.v, xi * b.vPlane, b.ld, b.pw, b.m, xi * b.mPlane);
        }
    }

    /** Output channels {@code [o0, o1)}: transformed back from {@code M}, then stored with the epilogue. */
    private void transformOutputs(Block b, ConvGeometry g, float[] bias, float[] residual, float lo, float hi,
                                  float[] y, int o0, int o1) {
        float[] d = b.patchBuffer();
        float[] tmp = ConvScratch.WINOGRAD_TMP.take(XI * L);
        // Without a residual the clamp is applied with the transform; with one, after adding it.
        float tlo = residual == null ? lo : Float.NEGATIVE_INFINITY;
        float thi = residual == null ? hi : Float.POSITIVE_INFINITY;
        for (int o = o0; o < o1; o++) {
            float bv = bias == null ? 0f : bias[o];
            for (int t = 0; t < b.ld; t += L) {
                outputTransform(b.m, o * b.ld + t, b.mPlane, bv, tlo, thi, tmp, 0, d, t, b.ldd);
            }
            store(g, d, b.ldd, o, b.runs, residual, lo, hi, y);
        }
    }

    /**
     * The 6×6 patches of channel {@code c} for a block's runs of tiles: value {@code (i, j)} of the tile at
     * lane {@code t} goes to {@code d[(i·6 + j)·ldd + t]}. A vector copy may write past a run's last lane;
     * the next run (or nothing: {@code ldd} leaves room) overwrites it.
     */
    private void patches(Phases x, int c, Runs runs, float[] d, int ldd) {
        float[] src = x.data();
        for (int r = 0; r < runs.count(); r++) {
            int plane = runs.img()[r] * cin + c;
            int n = runs.n()[r];
            for (int i = 0; i < 6; i++) {
                int row = x.row(runs.ty()[r] + i / 4) + runs.tx()[r];
                for (int j = 0; j < 6; j++) {
                    int s = x.at(plane, i % 4, j % 4) + row + j / 4;
                    int dst = (i * 6 + j) * ldd + runs.lane()[r];
                    for (int q = 0; q < n; q += L) {
                        FloatVector.fromArray(SPECIES, src, s + q).intoArray(d, dst + q);
                    }
                }
            }
        }
    }

    /**
     * {@code M = U·V} for one of the 36 products: {@code U} packed ({@code cout × cin}), {@code V} at
     * {@code v[vOff]} in panels of {@code pw} columns ({@code cin × ld}), {@code M} at {@code m[mOff]}
     * (whole {@code MR} rows, {@code ld} apart).
     */
    private void multiply(PackedMatrix a, float[] v, int vOff, int ld, int pw, float[] m, int mOff) {
        float[] ap = a.data();
        for (int blk = 0; blk < a.depthBlocks(); blk++) {
            int p0 = blk * a.blockDepth();
            int kc = Math.min(a.blockDepth(), cin - p0);
            int aBase = a.blockOffset(blk);
            for (int j = 0; j < ld; j += pw) {
                int bIdx = vOff + j * cin + p0 * pw;
                for (int qa = 0; qa < a.panels(); qa++) {
                    int aIdx = aBase + qa * MR * kc;
                    int mIdx = mOff + qa * MR * ld + j;
                    if (pw == NR) {
                        GemmMicroKernel.kernel(kc, ap, aIdx, v, bIdx, m, mIdx, ld, blk > 0);
                    } else {
                        GemmMicroKernel.kernelOneVector(kc, ap, aIdx, v, bIdx, m, mIdx, ld, blk > 0);
                    }
                }
            }
        }
    }

    /**
     * Tiles per panel for a block of {@code n}: one vector where that pads fewer lanes than {@code NR} does (16
     * tiles, a 14×14 output: one vector of 16 lanes, not 32 lanes of which 16 are padding), else {@code NR}.
     */
    static int panelWidth(int n) {
        return roundUp(n, L) < roundUp(n, NR) && n <= 2 * NR ? L : NR;
    }

    /**
     * {@code Bᵀ d B} for the {@code L} tiles at lane {@code t} of {@code d} (36 rows {@code ld} apart),
     * through {@code tmp[tmpOff]} (36 rows of {@code L}), into {@code v[vOff + ξ·vStride]}.
     */
    private static void inputTransform(float[] d, int t, int ld, float[] tmp, int tmpOff, float[] v, int vOff,
                                       int vStride) {
        // Both passes through one call site of bt (see the class comment): columns of d, then rows of tmp.
        for (int i = 0; i < 12; i++) {
            boolean columns = i < 6;
            int j = columns ? i : i - 6;
            bt(columns ? d : tmp, columns ? j * ld + t : tmpOff + j * 6 * L, columns ? 6 * ld : L,
                    columns ? tmp : v, columns ? tmpOff + j * L : vOff + j * 6 * vStride, columns ? 6 * L : vStride);
        }
    }

    /**
     * {@code Bᵀ z} for the six vectors {@code inStride} floats apart from {@code in[inOff]}, stored
     * {@code stride} floats apart from {@code out[off]}.
     */
    private static void bt(float[] in, int inOff, int inStride, float[] out, int off, int stride) {
        FloatVector z0 = FloatVector.fromArray(SPECIES, in, inOff);
        FloatVector z1 = FloatVector.fromArray(SPECIES, in, inOff + inStride);
        FloatVector z2 = FloatVector.fromArray(SPECIES, in, inOff + 2 * inStride);
        FloatVector z3 = FloatVector.fromArray(SPECIES, in, inOff + 3 * inStride);
        FloatVector z4 = FloatVector.fromArray(SPECIES, in, inOff + 4 * inStride);
        FloatVector z5 = FloatVector.fromArray(SPECIES, in, inOff + 5 * inStride);
        FloatVector a = z4.sub(z2.mul(4f));
        FloatVector b = z3.sub(z1.mul(4f));
        FloatVector c = z4.sub(z2);
        FloatVector e = z3.sub(z1).mul(2f);
        z0.mul(4f).sub(z2.mul(5f)).add(z4).intoArray(out, off);
        a.add(b).intoArray(out, off + stride);
        a.sub(b).intoArray(out, off + 2 * stride);
        c.add(e).intoArray(out, off + 3 * stride);
        c.sub(e).intoArray(out, off + 4 * stride);
        z1.mul(4f).sub(z3.mul(5f)).add(z5).intoArray(out, off + 5 * stride);
    }

    /**
     * {@code clamp(Aᵀ M A + bias, lo, hi)} for the {@code L} tiles at {@code m[mOff]} (36 products
     * {@code mStride} apart), through {@code tmp[tmpOff]}, into {@code out[outOff + (r·4 + s)·ld]}.
     */
    private static void outputTransform(float[] m, int mOff, int mStride, float bias, float lo, float hi,
                                        float[] tmp, int tmpOff, float[] out, int outOff, int ld) {
        // Both passes through one call site of at (see the class comment): columns of m, then rows of tmp.
        for (int i = 0; i < 10; i++) {
            boolean columns = i < 6;
            int j = columns ? i : i - 6;
            at(columns ? m : tmp, columns ? mOff + j * mStride : tmpOff + j * 6 * L, columns ? 6 * mStride : L,
                    columns ? 0f : bias, columns ? Float.NEGATIVE_INFINITY : lo, columns ? Float.POSITIVE_INFINITY : hi,
                    columns ? tmp : out, columns ? tmpOff + j * L : outOff + j * 4 * ld, columns ? 6 * L : ld);
        }
    }

    /**
     * {@code clamp(Aᵀ z + bias, lo, hi)} for the six vectors {@code inStride} floats apart from
     * {@code in[inOff]}: four, stored {@code stride} floats apart from {@code out[off]}.
     */
    private static void at(float[] in, int inOff, int inStride, float bias, float lo, float hi, float[] out, int off,
                           int stride) {
        FloatVector z0 = FloatVector.fromArray(SPECIES, in, inOff);
        FloatVector z1 = FloatVector.fromArray(SPECIES, in, inOff + inStride);
        FloatVector z2 = FloatVector.fromArray(SPECIES, in, inOff + 2 * inStride);
        FloatVector z3 = FloatVector.fromArray(SPECIES, in, inOff + 3 * inStride);
        FloatVector z4 = FloatVector.fromArray(SPECIES, in, inOff + 4 * inStride);
        FloatVector z5 = FloatVector.fromArray(SPECIES, in, inOff + 5 * inStride);
        FloatVector p = z1.add(z2);
        FloatVector q = z1.sub(z2);
        FloatVector r = z3.add(z4);
        FloatVector s = z3.sub(z4);
        FloatVector b = FloatVector.broadcast(SPECIES, bias);
        FloatVector vlo = FloatVector.broadcast(SPECIES, lo);
        FloatVector vhi = FloatVector.broadcast(SPECIES, hi);
        z0.add(p).add(r).add(b).max(vlo).min(vhi).intoArray(out, off);
        q.add(s.mul(2f)).add(b).max(vlo).min(vhi).intoArray(out, off + stride);
        p.add(r.mul(4f)).add(b).max(vlo).min(vhi).intoArray(out, off + 2 * stride);
        q.add(s.mul(8f)).add(z5).add(b).max(vlo).min(vhi).intoArray(out, off + 3 * stride);
    }

    /**
     * Output channel {@code o} of a block's runs of tiles from {@code out} (16 rows {@code ld} apart) into
     * {@code y}: each output row of a run interleaves four of those rows; rows and columns past the output
     * are dropped. With a residual, each row written is then {@code clamp(y + residual, lo, hi)}.
     */
    private void store(ConvGeometry g, float[] out, int ld, int o, Runs runs, float[] residual, float lo, float hi,
                       float[] y) {
        int oh = g.outH();
        int ow = g.outW();
        int whole = ow / 4;
        for (int run = 0; run < runs.count(); run++) {
            int tx0 = runs.tx()[run];
            int tx1 = tx0 + runs.n()[run];
            int full = Math.min(tx1, whole);
            for (int r = 0; r < 4 && 4 * runs.ty()[run] + r < oh; r++) {
                int yRow = ((runs.img()[run] * cout + o) * oh + 4 * runs.ty()[run] + r) * ow;
                int k = r * 4 * ld + runs.lane()[run] - tx0;
                for (int tx = tx0; tx < full; tx++) {
                    int yi = yRow + 4 * tx;
                    y[yi] = out[k + tx];
                    y[yi + 1] = out[k + ld + tx];
                    y[yi + 2] = out[k + 2 * ld + tx];
                    y[yi + 3] = out[k + 3 * ld + tx];
                }
                if (full < tx1) {
                    for (int s = 0; s < ow - 4 * full; s++) {
                        y[yRow + 4 * full + s] = out[k + s * ld + full];
                    }
                }
                if (residual != null) {
                    addAndClamp(y, residual, yRow + 4 * tx0, yRow + Math.min(4 * tx1, ow), lo, hi);
                }
            }
        }
    }

    /** {@code y[i] = clamp(y[i] + residual[i], lo, hi)} for {@code i} in {@code [from, to)}. */
    private static void addAndClamp(float[] y, float[] residual, int from, int to, float lo, float hi) {
        FloatVector vlo = FloatVector.broadcast(SPECIES, lo);
        FloatVector vhi = FloatVector.broadcast(SPECIES, hi);
        int i = from;
        for (; i + L <= to; i += L) {
            FloatVector.fromArray(SPECIES, y, i).add(FloatVector.fromArray(SPECIES, residual, i)).max(vlo).min(vhi)
                    .intoArray(y, i);
        }
        for (; i < to; i++) {
            y[i] = Math.min(Math.max(y[i] + residual[i], lo), hi);
        }
    }

    private static void require(String what, float[] a, int size, ConvGeometry g) {
        if (a == null || a.length < size) {
            throw new IllegalArgumentException("winograd conv: " + what + " needs " + size + " floats for " + g
                    + ", got " + (a == null ? "null" : a.length));
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static int roundUp(int a, int b) {
        return ceilDiv(a, b) * b;
    }
}
