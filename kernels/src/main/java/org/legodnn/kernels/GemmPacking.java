package org.legodnn.kernels;

import static org.legodnn.kernels.GemmMicroKernel.L;
import static org.legodnn.kernels.GemmMicroKernel.MR;
import static org.legodnn.kernels.GemmMicroKernel.NR;
import static org.legodnn.kernels.GemmMicroKernel.SPECIES;

import jdk.incubator.vector.FloatVector;

/**
 * Copies blocks of A and B into the panel order that {@link GemmMicroKernel} streams through, so the
 * micro-kernel reads both operands contiguously, whatever their transposition and leading dimensions,
 * and never sees an edge: panels past the end of the matrix are padded with zeros.
 *
 * <p>Packed A: panel {@code q} holds rows {@code [q·MR, q·MR+MR)} of the block; within a panel, column
 * {@code p} is {@code MR} consecutive floats. Packed B: panel {@code q} holds columns
 * {@code [q·NR, q·NR+NR)}; within a panel, row {@code p} is {@code NR} consecutive floats.
 */
final class GemmPacking {

    private GemmPacking() {
    }

    /**
     * Packs panels {@code [q0, q1)} of the block {@code op(A)[i0 .. i0+mb, p0 .. p0+kc]} into {@code dst},
     * panel {@code q} starting at {@code q·MR·kc}. Rows at or past {@code i0 + mb} are zeros.
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mb, int p0, int kc,
                      int q0, int q1, float[] dst) {
        for (int q = q0; q < q1; q++) {
            int base = q * MR * kc;
            int r0 = q * MR;
            int rows = Math.min(MR, mb - r0);
            if (transA) {
                // op(A)(i, p) = a[p·lda + i]: each column of the panel is MR contiguous floats.
                int src = aOff + p0 * lda + i0 + r0;
                if (rows == MR) {
                    for (int p = 0; p < kc; p++) {
                        int s = src + p * lda;
                        int d = base + p * MR;
                        for (int r = 0; r < MR; r++) {
                            dst[d + r] = a[s + r];
                        }
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        int s = src + p * lda;
                        int d = base + p * MR;
                        for (int r = 0; r < MR; r++) {
                            dst[d + r] = r < rows ? a[s + r] : 0f;
                        }
                    }
                }
            } else {
                // op(A)(i, p) = a[i·lda + p]: MR row streams, written interleaved, one panel column at a time.
                int src = aOff + (i0 + r0) * lda + p0;
                if (rows == MR && MR == 6) {
                    // Written out for MR = 6: six independent row streams pack about twice as fast as a loop.
                    int s1 = src + lda;
                    int s2 = s1 + lda;
                    int s3 = s2 + lda;
                    int s4 = s3 + lda;
                    int s5 = s4 + lda;
                    for (int p = 0; p < kc; p++) {
                        int d = base + p * MR;
                        dst[d] = a[src + p];
                        dst[d + 1] = a[s1 + p];
                        dst[d + 2] = a[s2 + p];
                        dst[d + 3] = a[s3 + p];
                        dst[d + 4] = a[s4 + p];
                        dst[d + 5] = a[s5 + p];
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        int d = base + p * MR;
                        for (int r = 0; r < MR; r++) {
                            dst[d + r] = r < rows ? a[src + r * lda + p] : 0f;
                        }
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
                // op(B)(p, j) = b[j·ldb + p]: read four columns at a time along p, write them side by side.
                int src = bOff + (j0 + c0) * ldb + p0;
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
                for (; j < NR; j++) {
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * NR + j] = 0f;
                    }
                }
            } else {
                // op(B)(p, j) = b[p·ldb + j]: each panel row is a contiguous slice of a row of B.
                int src = bOff + p0 * ldb + j0 + c0;
                if (cols == NR) {
                    for (int p = 0; p < kc; p++) {
                        int s = src + p * ldb;
                        int d = base + p * NR;
                        FloatVector.fromArray(SPECIES, b, s).intoArray(dst, d);
                        FloatVector.fromArray(SPECIES, b, s + L).intoArray(dst, d + L);
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        int s = src + p * ldb;
                        int d = base + p * NR;
                        for (int j = 0; j < NR; j++) {
                            dst[d + j] = j < cols ? b[s + j] : 0f;
                        }
                    }
                }
            }
        }
    }
}
