package org.legodnn.kernels.opencl;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.legodnn.kernels.conv.ConvGeometry;
import org.legodnn.kernels.gemm.Gemm;

/**
 * The engine's kernels on an OpenCL device: the same operations as the CPU {@link org.legodnn.kernels.Backend}
 * (matrix product, convolution, pooling, activations, residual add, concatenation, resize), but on
 * {@link DeviceBuffer}s, so that a whole network runs on the device with one upload and one download. Calls
 * only enqueue work; reading a buffer back waits for it. Sizes are checked here, on the host, with messages
 * that name the op and the shapes.
 */
public final class OpenClKernels implements AutoCloseable {

    private static final String GEMM = "gemm.cl";
    private static final String CONV = "conv.cl";
    private static final String POOL = "pool.cl";
    private static final String ELEMENTWISE = "elementwise.cl";
    private static final String LAYOUT = "layout.cl";
    private static final String REDUCE = "reduce.cl";
    /** The output tile of one GEMM work-group ({@code TM = TN} in gemm.cl) and its work-group shape. */
    private static final int GEMM_TILE = 64;
    private static final int GEMM_LOCAL = 16;
    /**
     * Products with fewer rows than this and at least {@link #DOT_MIN_DEPTH} terms per value (a Linear layer on
     * a small batch) take gemm.cl's one-work-group-per-value kernel: a 64-row tile would be mostly padding.
     */
    static final int DOT_MAX_ROWS = 8;
    static final int DOT_MIN_DEPTH = 128;
    /** Work-items per value of that kernel ({@code DOT_LOCAL} in gemm.cl). */
    private static final int DOT_LOCAL = 64;

    private final OpenClDevice device;
    /** Small index tables (broadcast strides, resize lookups) uploaded once, by content. */
    private final Map<String, DeviceBuffer> tables = new HashMap<>();

    public OpenClKernels(OpenClDevice device) {
        this.device = device;
    }

    public OpenClDevice device() {
        return device;
    }

    // ---- matrix products ----------------------------------------------------------------------------------

    /**
     * {@code C = op(A)·op(B)} with BLAS's row-major arguments (as {@link org.legodnn.kernels.Backend#gemm}):
     * {@code op(A)} is {@code m×k}, {@code op(B)} is {@code k×n}, a transposed operand is stored as its
     * transpose with its own leading dimension; offsets count floats.
     */
    public void gemm(boolean transA, boolean transB, int m, int n, int k, DeviceBuffer a, int aOff, int lda,
                     DeviceBuffer b, int bOff, int ldb, DeviceBuffer c, int cOff, int ldc) {
        checkDims("gemm", m, n, k);
        need("gemm A", a, aOff + span(m, k, transA ? 1 : lda, transA ? lda : 1));
        need("gemm B", b, bOff + span(k, n, transB ? 1 : ldb, transB ? ldb : 1));
        need("gemm C", c, cOff + span(m, n, ldc, 1));
        product(m, n, k, 1,
                a, aOff, transA ? 1 : lda, transA ? lda : 1, 1, 0,
                b, bOff, transB ? 1 : ldb, transB ? ldb : 1, 0,
                c, cOff, ldc, 0,
                null, 0, 0, 0, 0, null, 0, 1f, 1f, Clamp.NONE);
    }

    /**
     * ONNX's Gemm: {@code Y = alpha·op(A)·op(B) + beta·C}, {@code A} and {@code B} dense 2-D, {@code C}
     * (nullable) read through strides so that it may broadcast: {@code C[i, j]} is at
     * {@code i·cRowStride + j·cColStride} (0 repeats: a bias {@code [n]} has strides 0 and 1).
     */
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, DeviceBuffer a, DeviceBuffer b,
                     float beta, DeviceBuffer c, int cRowStride, int cColStride, Clamp clamp, DeviceBuffer y) {
        checkDims("gemm", m, n, k);
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        need("gemm A", a, (long) m * k);
        need("gemm B", b, (long) k * n);
        need("gemm Y", y, (long) m * n);
        if (c != null) {
            need("gemm C", c, span(m, n, cRowStride, cColStride));
        }
        product(m, n, k, 1,
                a, 0, transA ? 1 : lda, transA ? lda : 1, 1, 0,
                b, 0, transB ? 1 : ldb, transB ? ldb : 1, 0,
                y, 0, n, 0,
                c, 0, cRowStride, cColStride, 0, null, 0, alpha, beta, clamp);
    }

    /** PyTorch's Linear: {@code y[rows, out] = clamp(x[rows, in]·w[out, in]ᵀ + bias[out])}; bias nullable. */
    public void linear(int rows, int in, int out, DeviceBuffer x, DeviceBuffer w, DeviceBuffer bias, Clamp clamp,
                       DeviceBuffer y) {
        gemm(false, true, rows, out, in, 1f, x, w, 1f, bias, 0, 1, clamp, y);
    }

    /**
     * {@code batch} products {@code Y[t] = A[t]·B[t]} of row-major {@code m×k} by {@code k×n}, operand
     * {@code t} at {@code t·aBatchStride} (0: one {@code A} for all) and {@code t·bBatchStride}; {@code Y}
     * is dense {@code [batch, m, n]}.
     */
    public void matmulBatched(int batch, int m, int n, int k, DeviceBuffer a, int aBatchStride, DeviceBuffer b,
                              int bBatchStride, DeviceBuffer y) {
        checkDims("matmul", m, n, k);
        need("matmul A", a, (long) (batch - 1) * aBatchStride + (long) m * k);
        need("matmul B", b, (long) (batch - 1) * bBatchStride + (long) k * n);
        need("matmul Y", y, (long) batch * m * n);
        // A's batch stride goes through the group mechanism: group t % batch == t.
        product(m, n, k, batch,
                a, 0, k, 1, batch, aBatchStride,
                b, 0, n, 1, bBatchStride,
                y, 0, n, m * n,
                null, 0, 0, 0, 0, null, 0, 1f, 1f, Clamp.NONE);
    }

    /** The one launch of gemm.cl's kernel; see its header for the meaning of each stride. */
    private void product(int m, int n, int k, int batch,
                         DeviceBuffer a, int aOff, int aRs, int aCs, int aGroups, int aGs,
                         DeviceBuffer b, int bOff, int bRs, int bCs, int bBs,
                         DeviceBuffer c, int cOff, int cRs, int cBs,
                         DeviceBuffer bias, int biasOff, int biasRs, int biasCs, int biasGs,
                         DeviceBuffer res, int resOff, float alpha, float beta, Clamp clamp) {
        if (m == 0 || n == 0 || batch == 0) {
            return;
        }
        boolean dot = m < DOT_MAX_ROWS && k >= DOT_MIN_DEPTH;
        long[] global = dot
                ? new long[] {(long) n * DOT_LOCAL, m, batch}
                : new long[] {(long) ceilDiv(n, GEMM_TILE) * GEMM_LOCAL, (long) ceilDiv(m, GEMM_TILE) * GEMM_LOCAL, batch};
        long[] local = dot ? new long[] {DOT_LOCAL, 1, 1} : new long[] {GEMM_LOCAL, GEMM_LOCAL, 1};
        device.call(GEMM, dot ? "gemm_dot" : "gemm_tiled")
                .arg(m).arg(n).arg(k)
                .arg(a).arg(aOff).arg(aRs).arg(aCs).arg(aGroups).arg(aGs)
                .arg(b).arg(bOff).arg(bRs).arg(bCs).arg(bBs)
                .arg(c).arg(cOff).arg(cRs).arg(cBs)
                .arg(orDummy(bias)).arg(bias == null ? 0 : 1).arg(biasOff).arg(biasRs).arg(biasCs).arg(biasGs)
                .arg(orDummy(res)).arg(res == null ? 0 : 1).arg(resOff)
                .arg(alpha).arg(beta).arg(clamp.lo()).arg(clamp.hi())
                .launch(global, local);
    }

    // ---- convolution --------------------------------------------------------------------------------------

    /**
     * {@code y = clamp(conv2d(x, w) + bias + residual)}, PyTorch's layouts; {@code bias} ({@code [cout]}) and
     * {@code residual} (the output's shape) may be null. The path is {@link ConvPath#choose chosen by shape}.
     */
    public void conv2d(ConvGeometry g, DeviceBuffer x, DeviceBuffer w, DeviceBuffer bias, DeviceBuffer residual,
                       Clamp clamp, DeviceBuffer y) {
        conv2d(g, x, w, bias, residual, clamp, y, ConvPath.AUTO);
    }

    /** {@link #conv2d(ConvGeometry, DeviceBuffer, DeviceBuffer, DeviceBuffer, DeviceBuffer, Clamp, DeviceBuffer)} on a given path. */
    public void conv2d(ConvGeometry g, DeviceBuffer x, DeviceBuffer w, DeviceBuffer bias, DeviceBuffer residual,
                       Clamp clamp, DeviceBuffer y, ConvPath path) {
        need("conv2d input", x, g.inputSize());
        need("conv2d weight", w, g.weightSize());
        need("conv2d output", y, g.outputSize());
        if (bias != null) {
            need("conv2d bias", bias, g.cout());
        }
        if (residual != null) {
            need("conv2d residual", residual, g.outputSize());
        }
        ConvPath p = path == ConvPath.AUTO ? ConvPath.choose(g) : path;
        if (!p.accepts(g)) {
            throw new IllegalArgumentException("conv2d: path " + p + " cannot compute " + g);
        }
        int ohw = g.outH() * g.outW();
        int coutg = g.coutPerGroup();
        int cing = g.cinPerGroup();
        switch (p) {
            case GEMM_1X1 -> product(coutg, ohw, cing, g.n() * g.groups(),
                    w, 0, cing, 1, g.groups(), coutg * cing,
                    x, 0, ohw, 1, cing * ohw,
                    y, 0, ohw, coutg * ohw,
                    bias, 0, 1, 0, coutg, residual, 0, 1f, 1f, clamp);
            case IM2COL_GEMM -> {
                int kk = cing * g.kh() * g.kw();
                long cols = (long) g.n() * g.groups() * kk * ohw;
                checkIntRange("conv2d im2col", cols);
                try (DeviceBuffer col = device.allocate(cols)) {
                    device.call(CONV, "im2col").arg(x).arg(col).arg((int) cols)
                            .arg(g.cin()).arg(g.h()).arg(g.w()).arg(g.groups()).arg(cing)
                            .arg(g.kh()).arg(g.kw()).arg(g.strideH()).arg(g.strideW()).arg(g.padH()).arg(g.padW())
                            .arg(g.dilationH()).arg(g.dilationW()).arg(g.outH()).arg(g.outW())
                            .launch1d(cols);
                    product(coutg, ohw, kk, g.n() * g.groups(),
                            w, 0, kk, 1, g.groups(), coutg * kk,
                            col, 0, ohw, 1, kk * ohw,
                            y, 0, ohw, coutg * ohw,
                            bias, 0, 1, 0, coutg, residual, 0, 1f, 1f, clamp);
                }
            }
            case DIRECT -> {
                KernelCall call = device.call(CONV, "conv2d_direct");
                directArgs(call, g, x, w, bias, residual, clamp, y).arg(g.groups()).arg(g.outH()).arg(g.outW())
                        .launch1d(g.outputSize());
            }
            case DEPTHWISE -> {
                KernelCall call = device.call(CONV, "conv2d_depthwise");
                directArgs(call, g, x, w, bias, residual, clamp, y).arg(g.outH()).arg(g.outW())
                        .launch1d(g.outputSize());
            }
            default -> throw new IllegalStateException("unreachable: " + p);
        }
    }

    private KernelCall directArgs(KernelCall call, ConvGeometry g, DeviceBuffer x, DeviceBuffer w, DeviceBuffer bias,
                                  DeviceBuffer residual, Clamp clamp, DeviceBuffer y) {
        return call.arg(x).arg(w).arg(y)
                .arg(orDummy(bias)).arg(bias == null ? 0 : 1).arg(orDummy(residual)).arg(residual == null ? 0 : 1)
                .arg(clamp.lo()).arg(clamp.hi()).arg(g.outputSize())
                .arg(g.cin()).arg(g.h()).arg(g.w()).arg(g.cout()).arg(g.kh()).arg(g.kw())
                .arg(g.strideH()).arg(g.strideW()).arg(g.padH()).arg(g.padW()).arg(g.dilationH()).arg(g.dilationW());
    }

    /**
     * {@code y = conv_transpose2d(x, w) + bias} (PyTorch's {@code ConvTranspose2d}, weights
     * {@code [cin, cout/groups, kh, kw]}); {@code bias} ({@code [cout]}) may be null.
     */
    public void convTranspose2d(ConvTranspose2dShape s, DeviceBuffer x, DeviceBuffer w, DeviceBuffer bias,
                                DeviceBuffer y) {
        need("conv_transpose2d input", x, s.inputSize());
        need("conv_transpose2d weight", w, s.weightSize());
        need("conv_transpose2d output", y, s.outputSize());
        if (bias != null) {
            need("conv_transpose2d bias", bias, s.cout());
        }
        checkIntRange("conv_transpose2d output", s.outputSize());
        device.call(CONV, "conv_transpose2d_direct").arg(x).arg(w).arg(y).arg(orDummy(bias)).arg(bias == null ? 0 : 1)
                .arg((int) s.outputSize()).arg(s.cin()).arg(s.h()).arg(s.w()).arg(s.cout()).arg(s.kh()).arg(s.kw())
                .arg(s.strideH()).arg(s.strideW()).arg(s.padTop()).arg(s.padLeft()).arg(s.dilationH())
                .arg(s.dilationW()).arg(s.groups()).arg(s.outH()).arg(s.outW())
                .launch1d(s.outputSize());
    }

    // ---- pooling ------------------------------------------------------------------------------------------

    /** Max over each window; padding is ignored, NaN wins. */
    public void maxPool2d(Pool2dShape s, DeviceBuffer x, DeviceBuffer y) {
        need("max_pool2d input", x, s.inputSize());
        need("max_pool2d output", y, s.outputSize());
        checkIntRange("max_pool2d", s.outputSize());
        device.call(POOL, "max_pool2d").arg(x).arg(y).arg((int) s.outputSize())
                .arg(s.h()).arg(s.w()).arg(s.outH()).arg(s.outW()).arg(s.kh()).arg(s.kw())
                .arg(s.strideH()).arg(s.strideW()).arg(s.padTop()).arg(s.padLeft()).arg(s.dilationH()).arg(s.dilationW())
                .launch1d(s.outputSize());
    }

    /** Mean over each window, divided as PyTorch does ({@code countIncludePad}: by the padded extent). */
    public void avgPool2d(Pool2dShape s, boolean countIncludePad, DeviceBuffer x, DeviceBuffer y) {
        need("avg_pool2d input", x, s.inputSize());
        need("avg_pool2d output", y, s.outputSize());
        checkIntRange("avg_pool2d", s.outputSize());
        device.call(POOL, "avg_pool2d").arg(x).arg(y).arg((int) s.outputSize())
                .arg(s.h()).arg(s.w()).arg(s.outH()).arg(s.outW()).arg(s.kh()).arg(s.kw())
                .arg(s.strideH()).arg(s.strideW()).arg(s.padTop()).arg(s.padLeft()).arg(s.padBottom()).arg(s.padRight())
                .arg(s.dilationH()).arg(s.dilationW()).arg(countIncludePad ? 1 : 0)
                .launch1d(s.outputSize());
    }

    /** {@code [planes, hw]} to {@code [planes]}: the mean of every plane. */
    public void globalAvgPool(int planes, int hw, DeviceBuffer x, DeviceBuffer y) {
        need("global_avg_pool input", x, (long) planes * hw);
        need("global_avg_pool output", y, planes);
        device.call(POOL, "global_avg_pool").arg(x).arg(y).arg(planes).arg(hw).launch1d(planes);
    }

    // ---- elementwise --------------------------------------------------------------------------------------

    /** {@code y = clamp(x)}: ReLU, ReLU6, Clip. */
    public void clamp(int count, DeviceBuffer x, Clamp clamp, DeviceBuffer y) {
        need("clamp input", x, count);
        need("clamp output", y, count);
        device.call(ELEMENTWISE, "clamp_values").arg(x).arg(y).arg(count).arg(clamp.lo()).arg(clamp.hi())
                .launch1d(count);
    }

    /** The activations other than clamps. */
    public enum Unary {
        /** {@code p0} is the negative slope. */
        LEAKY_RELU,
        SIGMOID,
        /** {@code max(0, min(1, p0·x + p1))}. */
        HARD_SIGMOID,
        /** {@code x·max(0, min(6, x + 3))/6}. */
        HARD_SWISH,
        TANH,
        EXP
    }

    public void unary(Unary op, float p0, float p1, int count, DeviceBuffer x, DeviceBuffer y) {
        need(op + " input", x, count);
        need(op + " output", y, count);
        device.call(ELEMENTWISE, "unary").arg(x).arg(y).arg(count).arg(op.ordinal()).arg(p0).arg(p1).launch1d(count);
    }

    /**
     * ONNX's QuantizeLinear then DequantizeLinear with one scale:
     * {@code y = clamp(rint(x / scale), min - zeroPoint, max - zeroPoint)·scale}. The division is OpenCL's
     * single-precision one (within 2.5 ulp unless the device rounds it correctly), so a value within a hair of the
     * midpoint between two levels may land on the other one.
     */
    public void fakeQuantize(int count, DeviceBuffer x, float scale, int zeroPoint, int min, int max,
                             DeviceBuffer y) {
        need("quantize-dequantize input", x, count);
        need("quantize-dequantize output", y, count);
        device.call(ELEMENTWISE, "fake_quantize").arg(x).arg(y).arg(count).arg(scale).arg((float) (min - zeroPoint))
                .arg((float) (max - zeroPoint)).launch1d(count);
    }

    /** {@code y = clamp(a + b)} for equal shapes: the residual add, with the ReLU that usually follows it. */
    public void add(int count, DeviceBuffer a, DeviceBuffer b, Clamp clamp, DeviceBuffer y) {
        need("add a", a, count);
        need("add b", b, count);
        need("add output", y, count);
        device.call(ELEMENTWISE, "add_clamp").arg(a).arg(b).arg(y).arg(count).arg(clamp.lo()).arg(clamp.hi())
                .launch1d(count);
    }

    /** Binary ops with numpy broadcasting. */
    public enum Binary { ADD, SUB, MUL, DIV }

    /**
     * {@code y[idx] = a[idx·aStrides] op b[idx·bStrides]} over the output {@code shape}; a stride of 0 repeats
     * that operand along the dimension (see {@code ShapeInference.broadcast} for how they are derived).
     */
    public void broadcast(Binary op, int[] shape, int[] aStrides, int[] bStrides, DeviceBuffer a, DeviceBuffer b,
                          DeviceBuffer y) {
        int rank = shape.length;
        if (aStrides.length != rank || bStrides.length != rank) {
            throw new IllegalArgumentException("broadcast " + op + ": strides " + Arrays.toString(aStrides) + " and "
                    + Arrays.toString(bStrides) + " do not match the output rank " + rank);
        }
        long count = 1;
        for (int d : shape) {
            count *= d;
        }
        checkIntRange("broadcast", count);
        need("broadcast output", y, count);
        int[] table = new int[Math.max(3, 3 * rank)];
        for (int d = 0; d < rank; d++) {
            table[d] = shape[d];
            table[rank + d] = aStrides[d];
            table[2 * rank + d] = bStrides[d];
        }
        device.call(ELEMENTWISE, "binary_broadcast").arg(a).arg(b).arg(y).arg((int) count).arg(op.ordinal()).arg(rank)
                .arg(table(table)).launch1d(count);
    }

    /** {@code y = clamp(x·scale[ch] + shift[ch])} over {@code [n, c, hw]}: an inference BatchNorm on its own. */
    public void channelAffine(int n, int c, int hw, DeviceBuffer x, DeviceBuffer scale, DeviceBuffer shift, Clamp clamp,
                              DeviceBuffer y) {
        long count = (long) n * c * hw;
        checkIntRange("channel_affine", count);
        need("channel_affine input", x, count);
        need("channel_affine output", y, count);
        need("channel_affine scale", scale, c);
        need("channel_affine shift", shift, c);
        device.call(ELEMENTWISE, "channel_affine").arg(x).arg(scale).arg(shift).arg(y).arg((int) count).arg(c).arg(hw)
                .arg(clamp.lo()).arg(clamp.hi()).launch1d(count);
    }

    // ---- layout -------------------------------------------------------------------------------------------

    /**
     * Writes one input of a concatenation into its place: {@code dst[o·dstRow + dstOffset + i] = src[o·chunk + i]}
     * for {@code o < outer}, {@code i < chunk} ({@code chunk} = the input's size from the axis on,
     * {@code dstRow} = the output's).
     */
    public void concatPart(int outer, int chunk, DeviceBuffer src, int dstRow, int dstOffset, DeviceBuffer dst) {
        long total = (long) outer * chunk;
        checkIntRange("concat", total);
        need("concat input", src, total);
        need("concat output", dst, (long) (outer - 1) * dstRow + dstOffset + chunk);
        device.call(LAYOUT, "concat_part").arg(src).arg(dst).arg((int) total).arg(Math.max(1, chunk)).arg(dstRow)
                .arg(dstOffset).launch1d(total);
    }

    /**
     * {@code x[..., from:from+len·step:step, ...]} along one axis: {@code x} is {@code [outer, dim, inner]},
     * {@code y} is {@code [outer, len, inner]}.
     */
    public void slice(int outer, int dim, int inner, int from, int len, int step, DeviceBuffer x, DeviceBuffer y) {
        long total = (long) outer * len * inner;
        checkIntRange("slice", total);
        checkIntRange("slice", (long) outer * dim * inner);
        if (len > 0 && (from < 0 || step < 1 || from + (long) (len - 1) * step >= dim)) {
            throw new IllegalArgumentException("slice: " + len + " values from " + from + " step " + step
                    + " do not fit an axis of " + dim);
        }
        need("slice input", x, (long) outer * dim * inner);
        need("slice output", y, total);
        if (total == 0) {
            return;
        }
        device.call(LAYOUT, "slice_axis").arg(x).arg(y).arg((int) total).arg(len).arg(inner).arg(dim).arg(from)
                .arg(step).launch1d(total);
    }

    /** Softmax of {@code x} seen as {@code [outer, len, inner]} along the middle axis. */
    public void softmax(int outer, int len, int inner, DeviceBuffer x, DeviceBuffer y) {
        long rows = (long) outer * inner;
        checkIntRange("softmax", rows * len);
        need("softmax input", x, rows * len);
        need("softmax output", y, rows * len);
        if (rows == 0 || len == 0) {
            return;
        }
        device.call(REDUCE, "softmax_axis").arg(x).arg(y).arg((int) rows).arg(len).arg(inner).launch1d(rows);
    }

    /**
     * Resizes {@code planes} planes of {@code h×w} to {@code oh×ow} by lookup: output row {@code i} blends
     * input rows {@code rowLo[i]} and {@code rowHi[i]} with weight {@code rowFrac[i]} on the second, and the
     * same for columns (nearest: equal indices and weight 0).
     */
    public void resize(int planes, int h, int w, int oh, int ow, int[] rowLo, int[] rowHi, float[] rowFrac,
                       int[] colLo, int[] colHi, float[] colFrac, DeviceBuffer x, DeviceBuffer y) {
        long total = (long) planes * oh * ow;
        checkIntRange("resize", total);
        need("resize input", x, (long) planes * h * w);
        need("resize output", y, total);
        if (rowLo.length != oh || rowHi.length != oh || rowFrac.length != oh || colLo.length != ow
                || colHi.length != ow || colFrac.length != ow) {
            throw new IllegalArgumentException("resize: lookup tables do not match the output " + oh + "x" + ow);
        }
        int[] index = new int[2 * oh + 2 * ow];
        System.arraycopy(rowLo, 0, index, 0, oh);
        System.arraycopy(rowHi, 0, index, oh, oh);
        System.arraycopy(colLo, 0, index, 2 * oh, ow);
        System.arraycopy(colHi, 0, index, 2 * oh + ow, ow);
        for (int i = 0; i < index.length; i++) {
            int limit = i < 2 * oh ? h : w;
            if (index[i] < 0 || index[i] >= limit) {
                throw new IllegalArgumentException("resize: source index " + index[i] + " outside the input " + h + "x" + w);
            }
        }
        float[] frac = new float[oh + ow];
        System.arraycopy(rowFrac, 0, frac, 0, oh);
        System.arraycopy(colFrac, 0, frac, oh, ow);
        device.call(LAYOUT, "resize2d").arg(x).arg(y).arg((int) total).arg(h).arg(w).arg(oh).arg(ow)
                .arg(table(index)).arg(table(frac)).launch1d(total);
    }

    /** Frees the cached index tables. The device stays open. */
    @Override
    public void close() {
        for (DeviceBuffer b : tables.values()) {
            b.close();
        }
        tables.clear();
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private DeviceBuffer table(int[] values) {
        return tables.computeIfAbsent("i" + Arrays.toString(values), k -> device.uploadConstant(values));
    }

    private DeviceBuffer table(float[] values) {
        return tables.computeIfAbsent("f" + Arrays.toString(values), k -> device.uploadConstant(values));
    }

    private DeviceBuffer orDummy(DeviceBuffer b) {
        return b == null ? device.dummy() : b;
    }

    /** Floats that a {@code rows×cols} matrix with these strides reaches (0 when empty). */
    private static long span(int rows, int cols, int rowStride, int colStride) {
        if (rows == 0 || cols == 0) {
            return 0;
        }
        return (long) (rows - 1) * rowStride + (long) (cols - 1) * colStride + 1;
    }

    private static void need(String what, DeviceBuffer b, long floats) {
        if (b == null) {
            throw new IllegalArgumentException(what + ": buffer is null");
        }
        if (b.floats() < floats) {
            throw new IllegalArgumentException(what + ": needs " + floats + " floats, the device buffer has " + b.floats());
        }
    }

    private static void checkDims(String op, int m, int n, int k) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException(op + ": negative size m=" + m + " n=" + n + " k=" + k);
        }
    }

    private static void checkIntRange(String op, long count) {
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(op + ": " + count + " values exceed the kernels' 32-bit indexing");
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
