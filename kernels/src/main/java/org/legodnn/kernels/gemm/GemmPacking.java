package org.legodnn.kernels.gemm;

import static org.legodnn.kernels.gemm.GemmMicroKernel.L;
import static org.legodnn.kernels.gemm.GemmMicroKernel.MR;
import static org.legodnn.kernels.gemm.GemmMicroKernel.NR;
import static org.legodnn.kernels.gemm.GemmMicroKernel.SPECIES;

import jdk.incubator.vector.FloatVector;

/**
 * Copies blocks of A and B into the panel order that {@link GemmMicroKernel} streams through, so the
 * micro-kernel reads both operands contiguously, whatever their transposition and leading dimensions,
 * and never sees an edge: panels past the end of the matrix are padded with zeros.
 *
 * <p>Packed A: panel {@code q} holds rows {@code [q·MR, q·MR+MR)} of the block, step by step: the
 * {@code MR} values of depth {@code p} are consecutive, so the kernel reads one stream. Packed B: panel
 * {@code q} holds columns {@code [q·NR, q·NR+NR)}; within a panel, row {@code p} is {@code NR} consecutive
 * floats.
 */
final class GemmPacking {

    private GemmPacking() {
    }

    /**
     * Packs panels {@code [q0, q1)} of the block {@code op(A)[i0 .. i0+mb, p0 .. p0+kc]} into {@code dst},
     * panel {@code q} starting at {@code q·MR·kc}, A(r, p) of the panel at {@code p·MR + r}. Rows at or past
     * {@code i0 + mb} are zeros.
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mb, int p0, int kc,
                      int q0, int q1, float[] dst) {
        for (int q = q0; q < q1; q++) {
            int base = q * MR * kc;
            int r0 = q * MR;
            int rows = Math.min(MR, mb - r0);
            if (transA) {
                // op(A)(i, p) = a[p·lda + i]: one step's MR values are contiguous in A.
                int src = aOff + p0 * lda + i0 + r0;
                for (int p = 0; p < kc; p++) {
                    int s = src + p * lda;
                    int d = base + p * MR;
                    if (rows == MR) {
                        for (int r = 0; r < MR; r++) { // a constant trip count: unrolled by the JIT
                            dst[d + r] = a[s + r];
                        }
                    } else {
                        for (int r = 0; r < MR; r++) {
                            dst[d + r] = r < rows ? a[s + r] : 0f;
                        }
                    }
                }
            } else {
                // op(A)(i, p) = a[i·lda + p]: each row of A is read in order and written every MR floats.
                for (int r = 0; r < rows; r++) {
                    int s = aOff + (i0 + r0 + r) * lda + p0;
                    for (int p = 0, d = base + r; p < kc; p++, d += MR) {
                        dst[d] = a[s + p];
                    }
                }
                for (int r = rows; r < MR; r++) {
                    for (int p = 0, d = base + r; p < kc; p++, d += MR) {
                        dst[d] = 0f;
                    }
                }
            }
        }
    }

    /**
     * Packs panels {@code [q0, q1)} of the block {@code op(B)[p0 .. p0+kc, j0 .. j0+nb]} into {@code dst},
     * panel {@code q} starting at {@code q·NR·kc}. Columns at or past {@code j0 + nb} are zeros.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nb,
                      int q0, int q1, float[] dst) {
        for (int q = q0; q < q1; q++) {
            int base = q * NR * kc;
            int c0 = q * NR;
            int cols = Math.min(NR, nb - c0);
            if (transB) {
                // op(B)(p, j) = b[j·ldb + p]: read four columns at a time along p, write them side by side,
                // after zero vectors over the columns past the edge (and the whole vectors they share).
                int src = bOff + (j0 + c0) * ldb + p0;
                if (cols < NR) {
                    FloatVector zero = FloatVector.zero(SPECIES);
                    for (int p = 0; p < kc; p++) {
                        for (int jz = cols / L * L; jz < NR; jz += L) {
                            zero.intoArray(dst, base + p * NR + jz);
                        }
                    }
                }
                int j = 0;
                for (; j + 4 <= cols; j += 4) {
                    int s0 = src + j * ldb;
                    int s1 = s0 + ldb;
                    int s2 = s1 + ldb;
                    int s3 = s2 + ldb;
                    for (int p = 0; p < kc; p++) {
                        int d = base + p * NR + j;
                        dst[d] = b[s0 + p];
                        dst[d + 1] = b[s1 + p];
                        dst[d + 2] = b[s2 + p];
                        dst[d + 3] = b[s3 + p];
                    }
                }
                for (; j < cols; j++) {
                    int s0 = src + j * ldb;
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * NR + j] = b[s0 + p];
                    }
                }
            } else {
                // op(B)(p, j) = b[p·ldb + j]: each panel row is a contiguous slice of a row of B.
                int src = bOff + p0 * ldb + j0 + c0;
                if (cols == NR) {
                    for (int p = 0; p < kc; p++) {
                        int s = src + p * ldb;
                        int d = base + p * NR;
                        for (int j = 0; j < NR; j += L) { // a constant trip count: unrolled by the JIT
                            FloatVector.fromArray(SPECIES, b, s + j).intoArray(dst, d + j);
                        }
                    }
                } else {
                    // A panel cut by B's edge (a 7×7 layer's 49 columns end in one of 17): whole vectors, zero
                    // vectors over the rest, then the last few columns. Element by element with a test per
                    // column, packing this panel took half as long as multiplying it (k = 960).
                    int whole = cols / L * L;
                    FloatVector zero = FloatVector.zero(SPECIES);
                    for (int p = 0; p < kc; p++) {
                        int s = src + p * ldb;
                        int d = base + p * NR;
                        for (int j = 0; j < whole; j += L) {
                            FloatVector.fromArray(SPECIES, b, s + j).intoArray(dst, d + j);
                        }
                        for (int j = whole; j < NR; j += L) {
                            zero.intoArray(dst, d + j);
                        }
                        for (int j = whole; j < cols; j++) {
                            dst[d + j] = b[s + j];
                        }
                    }
                }
            }
        }
    }
}
