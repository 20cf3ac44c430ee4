package org.legodnn.kernels.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The innermost loop of {@link Gemm}, where nearly all of its time goes: it multiplies one packed
 * {@code MR}-row panel of A by one packed {@code NR}-column panel of B and keeps the whole
 * {@code MR×NR} block of C in vector registers for the full depth {@code kc}, so that every loaded value
 * feeds several fused multiply-adds and C is read and written once per panel pair.
 *
 * <p>Twelve accumulators (6 rows × 2 vectors), two B vectors and one broadcast A value fit in the 16
 * vector registers of AVX2 and leave room on NEON/SVE/AVX-512, which have 32; twelve independent chains
 * also cover the latency of two FMA pipes. {@code NR} follows the vector width of the machine.
 */
public final class GemmMicroKernel {

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector on this machine. */
    static final int L = SPECIES.length();
    /** Rows of C per micro-tile; the packed A panel interleaves this many rows. */
    public static final int MR = 6;
    /** Columns of C per micro-tile (two vectors); the packed B panel interleaves this many columns. */
    public static final int NR = 2 * L;
    /**
     * The deepest block the kernel takes, and the distance between the rows of a packed A panel: a
     * {@code KC×NR} panel of B (32 KB at 512-bit vectors) stays in L1 while the kernel runs.
     */
    public static final int KC = 256;

    private GemmMicroKernel() {
    }

    /**
     * {@code T[0..MR, 0..NR] (+)= Apanel · Bpanel} over depth {@code kc ≤ KC}, where row {@code r} of the
     * target starts at {@code t[tIdx + r * ldt]}. {@code ap[aIdx + r*KC + p]} is A(r, p) and
     * {@code bp[bIdx + p*NR + j]} is B(p, j). With {@code add} the target's old values are kept and added to.
     */
    public static void kernel(int kc, float[] ap, int aIdx, float[] bp, int bIdx,
                       float[] t, int tIdx, int ldt, boolean add) {
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c40 = c00;
        FloatVector c41 = c00;
        FloatVector c50 = c00;
        FloatVector c51 = c00;
        // Row r of the A panel is KC floats after row r-1: constant offsets, so each broadcast is one
        // load with a fixed displacement, and the loop variable alone proves all six in bounds.
        int bi = bIdx;
        for (int ai = aIdx, aEnd = aIdx + kc; ai < aEnd; ai++, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bi + L);
            FloatVector a = FloatVector.broadcast(SPECIES, ap[ai]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(SPECIES, ap[ai + KC]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(SPECIES, ap[ai + 2 * KC]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(SPECIES, ap[ai + 3 * KC]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(SPECIES, ap[ai + 4 * KC]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(SPECIES, ap[ai + 5 * KC]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
        }
        store(c00, c01, t, tIdx, add);
        store(c10, c11, t, tIdx + ldt, add);
        store(c20, c21, t, tIdx + 2 * ldt, add);
        store(c30, c31, t, tIdx + 3 * ldt, add);
        store(c40, c41, t, tIdx + 4 * ldt, add);
        store(c50, c51, t, tIdx + 5 * ldt, add);
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

    private static void store(FloatVector v0, FloatVector v1, float[] t, int idx, boolean add) {
        if (add) {
            v0 = v0.add(FloatVector.fromArray(SPECIES, t, idx));
            v1 = v1.add(FloatVector.fromArray(SPECIES, t, idx + L));
        }
        v0.intoArray(t, idx);
        v1.intoArray(t, idx + L);
    }
}
