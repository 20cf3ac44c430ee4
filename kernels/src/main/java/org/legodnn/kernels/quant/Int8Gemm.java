package org.legodnn.kernels.quant;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The int8 matrix kernel: {@code C = A·B} with int8 weights A (packed {@link #ROWS} rows at a time) and the
 * signed-byte im2col matrix B, accumulated exactly in int32 and turned into floats in the epilogue —
 * {@code y = clamp(r((acc + correction[m])·scale[m] + bias[m]) + residual, lo, hi)}, {@code r} the output's
 * quantize-dequantize where the QDQ model rounds it — while the tile is in registers. Each step of {@code k} widens {@link #COLUMNS} bytes of B to ints once and multiplies them by
 * {@link #ROWS} broadcast weights: the Vector API has no int8 dot product (x86's {@code vpdpbusd},
 * {@code vpmaddubsw}; Arm's {@code sdot}), so a byte costs a widening load, an int multiply and an int add,
 * the same instruction count as a float FMA.
 */
final class Int8Gemm {

    private static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    /** A byte vector that widens to one int vector (at least 64 bits: the narrowest shape there is). */
    private static final VectorSpecies<Byte> BS =
            VectorShape.forBitSize(Math.max(64, IS.vectorBitSize() / 4)).withLanes(byte.class);
    private static final int L = IS.length();

    /** Weight rows per tile: 4 rows × 2 vectors keep 8 accumulators, within AVX2's 16 registers and NEON's 32. */
    static final int ROWS = 4;
    /** Output positions per tile: two int vectors. */
    static final int COLUMNS = 2 * L;
    /** Bytes read past the last column of B by the widest load. */
    static final int SLACK = BS.length();

    private Int8Gemm() {
    }

    /** Packs {@code weight} ({@code [m][k]}, row-major) as {@code ⌈m/ROWS⌉} panels of {@code k × ROWS}, zero rows added. */
    static byte[] pack(byte[] weight, int m, int k) {
        int panels = (m + ROWS - 1) / ROWS;
        byte[] packed = new byte[panels * k * ROWS];
        for (int row = 0; row < m; row++) {
            int base = row / ROWS * k * ROWS + row % ROWS;
            for (int kk = 0; kk < k; kk++) {
                packed[base + kk * ROWS] = weight[row * k + kk];
            }
        }
        return packed;
    }

    /** Per-row constants of the epilogue; {@code output} (how the result is requantized) may be null. */
    record Epilogue(int[] correction, float[] scale, float[] bias, ActivationQuantization output, float lo, float hi) {
    }

    /**
     * Column panels {@code [from, to)} of all {@code m} rows: {@code y[yOff + row·n + col]} from packed weights
     * {@code a} and B in panels of {@link #COLUMNS} columns, {@code k × COLUMNS} bytes each (then
     * {@link #SLACK} bytes); columns past {@code n} in the last panel are computed and dropped.
     */
    static void tiles(int m, int n, int k, byte[] a, byte[] b, Epilogue e, float[] residual, float[] y, int yOff,
                      int from, int to) {
        int[] acc = new int[ROWS * COLUMNS];
        for (int panel = from; panel < to; panel++) {
            for (int row = 0; row < m; row += ROWS) {
                tile(k, a, row, b, panel * k * COLUMNS, acc);
                for (int r = 0; r < ROWS && row + r < m; r++) {
                    store(acc, r, row + r, n, panel * COLUMNS, e, residual, y, yOff);
                }
            }
        }
    }

    /**
     * The int32 sums of one {@link #ROWS} × {@link #COLUMNS} tile into {@code acc}, row after row. The accumulators
     * leave through an array, not as arguments: a vector passed to a method that is not inlined is boxed.
     */
    private static void tile(int k, byte[] a, int row, byte[] b, int bo, int[] acc) {
        IntVector c00 = IntVector.zero(IS);
        IntVector c01 = c00;
        IntVector c10 = c00;
        IntVector c11 = c00;
        IntVector c20 = c00;
        IntVector c21 = c00;
        IntVector c30 = c00;
        IntVector c31 = c00;
        int ao = row * k;
        for (int kk = 0; kk < k; kk++, bo += COLUMNS, ao += ROWS) {
            IntVector b0 = widen(b, bo);
            IntVector b1 = widen(b, bo + L);
            IntVector w = IntVector.broadcast(IS, a[ao]);
            c00 = w.mul(b0).add(c00);
            c01 = w.mul(b1).add(c01);
            w = IntVector.broadcast(IS, a[ao + 1]);
            c10 = w.mul(b0).add(c10);
            c11 = w.mul(b1).add(c11);
            w = IntVector.broadcast(IS, a[ao + 2]);
            c20 = w.mul(b0).add(c20);
            c21 = w.mul(b1).add(c21);
            w = IntVector.broadcast(IS, a[ao + 3]);
            c30 = w.mul(b0).add(c30);
            c31 = w.mul(b1).add(c31);
        }
        c00.intoArray(acc, 0);
        c01.intoArray(acc, L);
        c10.intoArray(acc, 2 * L);
        c11.intoArray(acc, 3 * L);
        c20.intoArray(acc, 4 * L);
        c21.intoArray(acc, 5 * L);
        c30.intoArray(acc, 6 * L);
        c31.intoArray(acc, 7 * L);
    }

    private static IntVector widen(byte[] b, int offset) {
        return (IntVector) ByteVector.fromArray(BS, b, offset).convertShape(VectorOperators.B2I, IS, 0);
    }

    /** The epilogue of row {@code r} of the tile in {@code acc}, output row {@code row}, columns from {@code col}. */
    private static void store(int[] acc, int r, int row, int n, int col, Epilogue e, float[] residual, float[] y,
                              int yOff) {
        int correction = e.correction()[row];
        float scale = e.scale()[row];
        float bias = e.bias() == null ? 0f : e.bias()[row];
        int at = yOff + row * n + col;
        for (int half = 0; half < 2; half++) {
            int left = n - col - half * L;
            if (left <= 0) {
                return;
            }
            IntVector sum = IntVector.fromArray(IS, acc, (2 * r + half) * L).add(correction);
            FloatVector v = ((FloatVector) sum.convert(VectorOperators.I2F, 0)).mul(scale).add(bias);
            if (e.output() != null) {
                v = QuantizeKernel.fakeQuantize(v, e.output());
            }
            int to = at + half * L;
            if (left >= L) {
                if (residual != null) {
                    v = v.add(FloatVector.fromArray(FS, residual, to));
                }
                v.max(e.lo()).min(e.hi()).intoArray(y, to);
            } else {
                VectorMask<Float> part = FS.indexInRange(0, left);
                if (residual != null) {
                    v = v.add(FloatVector.fromArray(FS, residual, to, part));
                }
                v.max(e.lo()).min(e.hi()).intoArray(y, to, part);
            }
        }
    }
}
