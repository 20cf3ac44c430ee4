package org.legodnn.kernels.gemm;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The innermost loop of {@link Gemm}, where nearly all of its time goes: it multiplies one packed
 * {@code MR}-row panel of A by one packed {@code NR}-column panel of B and keeps the whole
 * {@code MR×NR} block of C in vector registers for the full depth {@code kc}, so that every loaded value
 * feeds several fused multiply-adds and C is read and written once per panel pair.
 *
 * <p>The tile's shape follows the machine ({@link GemmTile}): 6 rows × 2 vectors where the JIT has 32 vector
 * registers (AVX-512, NEON, SVE), 4 × 2 where it has 16 (AVX2). Each shape is its own method with its
 * accumulators in local variables, which C2 keeps in registers as long as the tile fits (see
 * {@link GemmTile} for what "fits" means to C2); {@link #kernel} picks one by a static final constant, which
 * C2 folds away. {@code NR} follows the vector width of the machine.
 */
public final class GemmMicroKernel {

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector on this machine. */
    static final int L = SPECIES.length();
    /** The register tile of this machine. */
    public static final GemmTile TILE = GemmTile.forThisMachine(SPECIES.vectorBitSize());
    /** Rows of C per micro-tile; the packed A panel interleaves this many rows. */
    public static final int MR = TILE.rows();
    /** Columns of C per micro-tile; the packed B panel interleaves this many columns. */
    public static final int NR = TILE.vectors() * L;
    /**
     * The deepest block of the product, {@link #depthFor} this machine's {@code NR}: each depth block reads and
     * writes C once more, so deeper is better until a {@code KC×NR} panel of B no longer stays near the core.
     */
    public static final int KC = depthForThisMachine(NR);
    /**
     * What a tile that does not add to the target adds instead: one row of {@code -0.0}, read at every row
     * ({@code x + -0.0} is {@code x} for every float, {@code -0.0} included, where {@code x + 0.0} would turn
     * {@code -0.0} into {@code 0.0}).
     */
    private static final float[] NEGATIVE_ZEROS = negativeZeros(NR);

    private GemmMicroKernel() {
    }

    private static float[] negativeZeros(int n) {
        float[] a = new float[n];
        Arrays.fill(a, -0.0f);
        return a;
    }

    /**
     * The depth block for B panels {@code nr} floats wide: up to a 256 KB panel ({@code 65536 / nr} rows, an
     * L2-resident panel that the core streams at one row per step), at least 256 and at most 1024 deep, so 1024
     * for every tile offered today. C is read and written once per depth block and misses the cache every time,
     * so deeper is better: measured at 1024³, one thread, 512 instead of 256 took the AVX-512 GEMM (6×2) from about
     * 72% to 78–81% of the FMA loop, and 1024 instead of 512 raised it again on a host with two 512-bit FMA units
     * (BENCHMARKS.md, "GEMM depth"); on AVX2 (4×2) 1024 instead of 256 took it from about 80% to 89%.
     */
    static int depthFor(int nr) {
        return Math.max(256, Math.min(1024, 65536 / nr));
    }

    /**
     * {@link #depthFor} unless {@code -Dlegodnn.gemm.kc=DEPTH} (64 to 4096) overrides it, to compare depths on one
     * machine as {@code -Dlegodnn.gemm.tile} compares tiles.
     */
    static int depthForThisMachine(int nr) {
        String forced = System.getProperty("legodnn.gemm.kc");
        if (forced == null || forced.isBlank()) {
            return depthFor(nr);
        }
        try {
            int kc = Integer.parseInt(forced.trim());
            if (kc >= 64 && kc <= 4096) {
                return kc;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("GEMM depth block -Dlegodnn.gemm.kc='" + forced
                + "': expected a whole number from 64 to 4096");
    }

    /**
     * {@code T[0..MR, 0..NR] (+)= Apanel · Bpanel} over depth {@code kc ≤ KC}, where row {@code r} of the
     * target starts at {@code t[tIdx + r * ldt]}. {@code ap[aIdx + p*MR + r]} is A(r, p) and
     * {@code bp[bIdx + p*NR + j]} is B(p, j). With {@code add} the target's old values are kept and added to.
     *
     * <p>Each shape adds to its accumulators, at the end, either the target's old values or a row of {@code -0.0}
     * (which changes nothing), then stores them: no branch on {@code add} among the vector operations, and the same
     * sums, in the same order, as adding only when asked. Written as a load, add and store per vector under
     * {@code if (add)}, the tile parsed into so many nodes that C2 stopped inlining at the last stores
     * ({@code NodeCountInliningCutoff} in {@code -XX:CompileCommand=PrintInlining}) once both values of {@code add}
     * had been seen, and the accumulators those stores took were allocated on the heap at every tile.
     */
    public static void kernel(int kc, float[] ap, int aIdx, float[] bp, int bIdx,
                              float[] t, int tIdx, int ldt, boolean add) {
        kernelPlus(kc, ap, aIdx, bp, bIdx, t, tIdx, ldt, add ? t : NEGATIVE_ZEROS, add ? tIdx : 0, add ? ldt : 0);
    }

    /**
     * {@code T[0..MR, 0..NR] = S + Apanel · Bpanel}, {@link #kernel} with the values that the product is added to
     * given: row {@code r} of S starts at {@code s[sIdx + r * lds]} (S may be T, and {@code lds} 0 repeats one
     * row). A layer's bias, as MR rows of broadcast values, is added this way at no cost beyond the adds the
     * kernel makes anyway, instead of in a pass over the stored tile.
     */
    public static void kernelPlus(int kc, float[] ap, int aIdx, float[] bp, int bIdx, float[] t, int tIdx, int ldt,
                                  float[] s, int sIdx, int lds) {
        if (MR == 4) {
            kernel4x2(kc, ap, aIdx, bp, bIdx, t, tIdx, ldt, s, sIdx, lds);
        } else {
            kernel6x2(kc, ap, aIdx, bp, bIdx, t, tIdx, ldt, s, sIdx, lds);
        }
    }

    /**
     * {@link #kernel} for a B panel one vector wide ({@code L} columns, {@code bp[bIdx + p·L + j]} is B(p, j)):
     * for products with few columns, where a panel of {@code NR} would be half padding (a Winograd block of 16
     * tiles): half the multiply-adds of the two-vector tile on such a panel, for seven loads per step where it
     * takes eight.
     */
    public static void kernelOneVector(int kc, float[] ap, int aIdx, float[] bp, int bIdx,
                                       float[] t, int tIdx, int ldt, boolean add) {
        if (MR == 4) {
            kernel4x1(kc, ap, aIdx, bp, bIdx, t, tIdx, ldt, add);
        } else {
            kernel6x1(kc, ap, aIdx, bp, bIdx, t, tIdx, ldt, add);
        }
    }

    /**
     * The same product for a tile cut by the edge of C ({@code mr ≤ MR} rows, {@code nr ≤ NR} columns): the
     * packed panels are zero-padded, so the full kernel runs into {@code tmp} and only the valid part is
     * merged into C.
     */
    static void edge(int kc, float[] ap, int aIdx, float[] bp, int bIdx, float[] tmp,
                     int mr, int nr, float[] c, int cIdx, int ldc, boolean add) {
        kernel(kc, ap, aIdx, bp, bIdx, tmp, 0, NR, false);
        for (int r = 0; r < mr; r++) {
            int row = cIdx + r * ldc;
            int src = r * NR;
            if (add) {
                for (int j = 0; j < nr; j++) {
                    c[row + j] += tmp[src + j];
                }
            } else {
                System.arraycopy(tmp, src, c, row, nr);
            }
        }
    }

    /** 6 rows × 2 vectors: 12 accumulators; with the 6 broadcasts and 2 B vectors C2 loads per step, 20 registers. */
    private static void kernel6x2(int kc, float[] ap, int aIdx, float[] bp, int bIdx,
                                  float[] t, int tIdx, int ldt, float[] s, int s0, int lds) {
        FloatVector c0_0 = FloatVector.zero(SPECIES);
        FloatVector c0_1 = c0_0;
        FloatVector c1_0 = c0_0;
        FloatVector c1_1 = c0_0;
        FloatVector c2_0 = c0_0;
        FloatVector c2_1 = c0_0;
        FloatVector c3_0 = c0_0;
        FloatVector c3_1 = c0_0;
        FloatVector c4_0 = c0_0;
        FloatVector c4_1 = c0_0;
        FloatVector c5_0 = c0_0;
        FloatVector c5_1 = c0_0;
        for (int p = 0; p < kc; p++) {
            int ai = aIdx + p * 6;
            int bi = bIdx + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bi + L);
            FloatVector a = FloatVector.broadcast(SPECIES, ap[ai]);
            c0_0 = a.fma(b0, c0_0);
            c0_1 = a.fma(b1, c0_1);
            a = FloatVector.broadcast(SPECIES, ap[ai + 1]);
            c1_0 = a.fma(b0, c1_0);
            c1_1 = a.fma(b1, c1_1);
            a = FloatVector.broadcast(SPECIES, ap[ai + 2]);
            c2_0 = a.fma(b0, c2_0);
            c2_1 = a.fma(b1, c2_1);
            a = FloatVector.broadcast(SPECIES, ap[ai + 3]);
            c3_0 = a.fma(b0, c3_0);
            c3_1 = a.fma(b1, c3_1);
            a = FloatVector.broadcast(SPECIES, ap[ai + 4]);
            c4_0 = a.fma(b0, c4_0);
            c4_1 = a.fma(b1, c4_1);
            a = FloatVector.broadcast(SPECIES, ap[ai + 5]);
            c5_0 = a.fma(b0, c5_0);
            c5_1 = a.fma(b1, c5_1);
        }
        c0_0.add(FloatVector.fromArray(SPECIES, s, s0)).intoArray(t, tIdx);
        c0_1.add(FloatVector.fromArray(SPECIES, s, s0 + L)).intoArray(t, tIdx + L);
        c1_0.add(FloatVector.fromArray(SPECIES, s, s0 + lds)).intoArray(t, tIdx + ldt);
        c1_1.add(FloatVector.fromArray(SPECIES, s, s0 + lds + L)).intoArray(t, tIdx + ldt + L);
        c2_0.add(FloatVector.fromArray(SPECIES, s, s0 + 2 * lds)).intoArray(t, tIdx + 2 * ldt);
        c2_1.add(FloatVector.fromArray(SPECIES, s, s0 + 2 * lds + L)).intoArray(t, tIdx + 2 * ldt + L);
        c3_0.add(FloatVector.fromArray(SPECIES, s, s0 + 3 * lds)).intoArray(t, tIdx + 3 * ldt);
        c3_1.add(FloatVector.fromArray(SPECIES, s, s0 + 3 * lds + L)).intoArray(t, tIdx + 3 * ldt + L);
        c4_0.add(FloatVector.fromArray(SPECIES, s, s0 + 4 * lds)).intoArray(t, tIdx + 4 * ldt);
        c4_1.add(FloatVector.fromArray(SPECIES, s, s0 + 4 * lds + L)).intoArray(t, tIdx + 4 * ldt + L);
        c5_0.add(FloatVector.fromArray(SPECIES, s, s0 + 5 * lds)).intoArray(t, tIdx + 5 * ldt);
        c5_1.add(FloatVector.fromArray(SPECIES, s, s0 + 5 * lds + L)).intoArray(t, tIdx + 5 * ldt + L);
    }

    /**
     * 4 rows × 2 vectors: 8 accumulators; with the 4 broadcasts and 2 B vectors, 14 registers.
     *
     * <p>The loop runs over A's index rather than over the depth: JDK 17's C2 does not unroll this loop, and
     * deriving both indices from a depth counter cost it six integer instructions per step beside the 8 FMAs,
     * enough to make the step wait on instruction dispatch instead of on the FMA units (1024³ on one Zen 3
     * core: 74 → 86 GFLOP/s; JDK 25, which computed fewer, ran both forms alike).
     */
    private static void kernel4x2(int kc, float[] ap, int aIdx, float[] bp, int bIdx,
                                  float[] t, int tIdx, int ldt, float[] s, int s0, int lds) {
        FloatVector c0_0 = FloatVector.zero(SPECIES);
        FloatVector c0_1 = c0_0;
        FloatVector c1_0 = c0_0;
        FloatVector c1_1 = c0_0;
        FloatVector c2_0 = c0_0;
        FloatVector c2_1 = c0_0;
        FloatVector c3_0 = c0_0;
        FloatVector c3_1 = c0_0;
        // A advances 4 floats per step and B NR = 2·L: B's index is A's times NR / 4, exact for even L.
        int bOff = bIdx - aIdx * (NR / 4);
        for (int ai = aIdx, aEnd = aIdx + 4 * kc; ai < aEnd; ai += 4) {
            int bi = bOff + ai * (NR / 4);
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bi + L);
            FloatVector a = FloatVector.broadcast(SPECIES, ap[ai]);
            c0_0 = a.fma(b0, c0_0);
            c0_1 = a.fma(b1, c0_1);
            a = FloatVector.broadcast(SPECIES, ap[ai + 1]);
            c1_0 = a.fma(b0, c1_0);
            c1_1 = a.fma(b1, c1_1);
            a = FloatVector.broadcast(SPECIES, ap[ai + 2]);
            c2_0 = a.fma(b0, c2_0);
            c2_1 = a.fma(b1, c2_1);
            a = FloatVector.broadcast(SPECIES, ap[ai + 3]);
            c3_0 = a.fma(b0, c3_0);
            c3_1 = a.fma(b1, c3_1);
        }
        c0_0.add(FloatVector.fromArray(SPECIES, s, s0)).intoArray(t, tIdx);
        c0_1.add(FloatVector.fromArray(SPECIES, s, s0 + L)).intoArray(t, tIdx + L);
        c1_0.add(FloatVector.fromArray(SPECIES, s, s0 + lds)).intoArray(t, tIdx + ldt);
        c1_1.add(FloatVector.fromArray(SPECIES, s, s0 + lds + L)).intoArray(t, tIdx + ldt + L);
        c2_0.add(FloatVector.fromArray(SPECIES, s, s0 + 2 * lds)).intoArray(t, tIdx + 2 * ldt);
        c2_1.add(FloatVector.fromArray(SPECIES, s, s0 + 2 * lds + L)).intoArray(t, tIdx + 2 * ldt + L);
        c3_0.add(FloatVector.fromArray(SPECIES, s, s0 + 3 * lds)).intoArray(t, tIdx + 3 * ldt);
        c3_1.add(FloatVector.fromArray(SPECIES, s, s0 + 3 * lds + L)).intoArray(t, tIdx + 3 * ldt + L);
    }

    /** 6 rows × 1 vector: 6 accumulators, 6 broadcasts and 1 B vector per step. */
    private static void kernel6x1(int kc, float[] ap, int aIdx, float[] bp, int bIdx,
                                  float[] t, int tIdx, int ldt, boolean add) {
        float[] s = add ? t : NEGATIVE_ZEROS;
        int s0 = add ? tIdx : 0;
        int lds = add ? ldt : 0;
        FloatVector c0 = FloatVector.zero(SPECIES);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        FloatVector c4 = c0;
        FloatVector c5 = c0;
        for (int p = 0; p < kc; p++) {
            int ai = aIdx + p * 6;
            FloatVector b = FloatVector.fromArray(SPECIES, bp, bIdx + p * L);
            c0 = FloatVector.broadcast(SPECIES, ap[ai]).fma(b, c0);
            c1 = FloatVector.broadcast(SPECIES, ap[ai + 1]).fma(b, c1);
            c2 = FloatVector.broadcast(SPECIES, ap[ai + 2]).fma(b, c2);
            c3 = FloatVector.broadcast(SPECIES, ap[ai + 3]).fma(b, c3);
            c4 = FloatVector.broadcast(SPECIES, ap[ai + 4]).fma(b, c4);
            c5 = FloatVector.broadcast(SPECIES, ap[ai + 5]).fma(b, c5);
        }
        c0.add(FloatVector.fromArray(SPECIES, s, s0)).intoArray(t, tIdx);
        c1.add(FloatVector.fromArray(SPECIES, s, s0 + lds)).intoArray(t, tIdx + ldt);
        c2.add(FloatVector.fromArray(SPECIES, s, s0 + 2 * lds)).intoArray(t, tIdx + 2 * ldt);
        c3.add(FloatVector.fromArray(SPECIES, s, s0 + 3 * lds)).intoArray(t, tIdx + 3 * ldt);
        c4.add(FloatVector.fromArray(SPECIES, s, s0 + 4 * lds)).intoArray(t, tIdx + 4 * ldt);
        c5.add(FloatVector.fromArray(SPECIES, s, s0 + 5 * lds)).intoArray(t, tIdx + 5 * ldt);
    }

    /** 4 rows × 1 vector: 4 accumulators, 4 broadcasts and 1 B vector per step. */
    private static void kernel4x1(int kc, float[] ap, int aIdx, float[] bp, int bIdx,
                                  float[] t, int tIdx, int ldt, boolean add) {
        float[] s = add ? t : NEGATIVE_ZEROS;
        int s0 = add ? tIdx : 0;
        int lds = add ? ldt : 0;
        FloatVector c0 = FloatVector.zero(SPECIES);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        for (int p = 0; p < kc; p++) {
            int ai = aIdx + p * 4;
            FloatVector b = FloatVector.fromArray(SPECIES, bp, bIdx + p * L);
            c0 = FloatVector.broadcast(SPECIES, ap[ai]).fma(b, c0);
            c1 = FloatVector.broadcast(SPECIES, ap[ai + 1]).fma(b, c1);
            c2 = FloatVector.broadcast(SPECIES, ap[ai + 2]).fma(b, c2);
            c3 = FloatVector.broadcast(SPECIES, ap[ai + 3]).fma(b, c3);
        }
        c0.add(FloatVector.fromArray(SPECIES, s, s0)).intoArray(t, tIdx);
        c1.add(FloatVector.fromArray(SPECIES, s, s0 + lds)).intoArray(t, tIdx + ldt);
        c2.add(FloatVector.fromArray(SPECIES, s, s0 + 2 * lds)).intoArray(t, tIdx + 2 * ldt);
        c3.add(FloatVector.fromArray(SPECIES, s, s0 + 3 * lds)).intoArray(t, tIdx + 3 * ldt);
    }
}
