package org.legodnn.kernels.conv;

import static org.legodnn.kernels.gemm.GemmMicroKernel.MR;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The innermost loop of {@link ConvDirect}: the {@link org.legodnn.kernels.gemm.GemmMicroKernel} register tile
 * ({@code MR} output channels × two vectors of output positions), with its right operand read straight from the
 * zero-padded input instead of from a packed copy of the column matrix. Step {@code p} of the reduction is one
 * (input channel, kernel row, kernel column) tap; its input values for a run of consecutive output positions are
 * a run of consecutive floats of the padded input, {@code tab[p]} floats after the run's own start, because a
 * stride-1 convolution reads its input shifted by the tap and nothing else.
 */
final class ConvDirectKernel {

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector. */
    static final int L = SPECIES.length();
    /** Output positions per tile: two vectors, as the GEMM tile. */
    static final int TILE_COLUMNS = 2 * L;

    private ConvDirectKernel() {
    }

    /**
     * {@code t[r·2L + j] (+)= Σ_p ap[aIdx + p·MR + r] · src[tab[p0 + p] + (j < L ? qa + j : qb + j − L)]} over
     * {@code p < kc}: {@code MR} rows of packed weights times two runs of {@code L} positions starting at
     * {@code qa} and {@code qb} of the padded input. With {@code add} the target's old values are kept and added to.
     */
    static void kernel(int kc, float[] ap, int aIdx, float[] src, int[] tab, int p0, int qa, int qb, float[] t,
                       boolean add) {
        if (MR == 4) {
            kernel4x2(kc, ap, aIdx, src, tab, p0, qa, qb, t, add);
        } else {
            kernel6x2(kc, ap, aIdx, src, tab, p0, qa, qb, t, add);
        }
    }

    private static void kernel6x2(int kc, float[] ap, int aIdx, float[] src, int[] tab, int p0, int qa, int qb,
                                  float[] t, boolean add) {
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
            int o = tab[p0 + p];
            FloatVector b0 = FloatVector.fromArray(SPECIES, src, o + qa);
            FloatVector b1 = FloatVector.fromArray(SPECIES, src, o + qb);
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
        store(c0_0, t, 0, add);
        store(c0_1, t, L, add);
        store(c1_0, t, 2 * L, add);
        store(c1_1, t, 3 * L, add);
        store(c2_0, t, 4 * L, add);
        store(c2_1, t, 5 * L, add);
        store(c3_0, t, 6 * L, add);
        store(c3_1, t, 7 * L, add);
        store(c4_0, t, 8 * L, add);
        store(c4_1, t, 9 * L, add);
        store(c5_0, t, 10 * L, add);
        store(c5_1, t, 11 * L, add);
    }

    private static void kernel4x2(int kc, float[] ap, int aIdx, float[] src, int[] tab, int p0, int qa, int qb,
                                  float[] t, boolean add) {
        FloatVector c0_0 = FloatVector.zero(SPECIES);
        FloatVector c0_1 = c0_0;
        FloatVector c1_0 = c0_0;
        FloatVector c1_1 = c0_0;
        FloatVector c2_0 = c0_0;
        FloatVector c2_1 = c0_0;
        FloatVector c3_0 = c0_0;
        FloatVector c3_1 = c0_0;
        for (int p = 0; p < kc; p++) {
            int ai = aIdx + p * 4;
            int o = tab[p0 + p];
            FloatVector b0 = FloatVector.fromArray(SPECIES, src, o + qa);
            FloatVector b1 = FloatVector.fromArray(SPECIES, src, o + qb);
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
        store(c0_0, t, 0, add);
        store(c0_1, t, L, add);
        store(c1_0, t, 2 * L, add);
        store(c1_1, t, 3 * L, add);
        store(c2_0, t, 4 * L, add);
        store(c2_1, t, 5 * L, add);
        store(c3_0, t, 6 * L, add);
        store(c3_1, t, 7 * L, add);
    }

    /** Output channels per weight-gradient tile: 4 with 32 vector registers (4×3 accumulators), 2 with 16. */
    static final int DOT_ROWS = MR == 4 ? 2 : 4;
    /** Taps per weight-gradient tile. */
    static final int DOT_TAPS = 3;

    /**
     * {@code out[r·3 + c] += Σ_{u < n} gy[gyOff + r·ldr + u] · src[o_c + u]} for {@link #DOT_ROWS} rows {@code r}
     * and three taps {@code c} with offsets {@code o0, o1, o2} ({@code n} a multiple of {@link #L}): the weight
     * gradient's dot products along the output positions of a chunk of images, laid end to end.
     */
    static void dot(float[] gy, int gyOff, int ldr, float[] src, int o0, int o1, int o2, int n, float[] out) {
        if (DOT_ROWS == 2) {
            dot2x3(gy, gyOff, ldr, src, o0, o1, o2, n, out);
        } else {
            dot4x3(gy, gyOff, ldr, src, o0, o1, o2, n, out);
        }
    }

    private static void dot4x3(float[] gy, int gyOff, int ldr, float[] src, int o0, int o1, int o2, int n,
                               float[] out) {
        FloatVector a00 = FloatVector.zero(SPECIES);
        FloatVector a01 = a00;
        FloatVector a02 = a00;
        FloatVector a10 = a00;
        FloatVector a11 = a00;
        FloatVector a12 = a00;
        FloatVector a20 = a00;
        FloatVector a21 = a00;
        FloatVector a22 = a00;
        FloatVector a30 = a00;
        FloatVector a31 = a00;
        FloatVector a32 = a00;
        int g0 = gyOff, g1 = g0 + ldr, g2 = g1 + ldr, g3 = g2 + ldr;
        for (int u = 0; u < n; u += L) {
            FloatVector x0 = FloatVector.fromArray(SPECIES, src, o0 + u);
            FloatVector x1 = FloatVector.fromArray(SPECIES, src, o1 + u);
            FloatVector x2 = FloatVector.fromArray(SPECIES, src, o2 + u);
            FloatVector d = FloatVector.fromArray(SPECIES, gy, g0 + u);
            a00 = d.fma(x0, a00);
            a01 = d.fma(x1, a01);
            a02 = d.fma(x2, a02);
            d = FloatVector.fromArray(SPECIES, gy, g1 + u);
            a10 = d.fma(x0, a10);
            a11 = d.fma(x1, a11);
            a12 = d.fma(x2, a12);
            d = FloatVector.fromArray(SPECIES, gy, g2 + u);
            a20 = d.fma(x0, a20);
            a21 = d.fma(x1, a21);
            a22 = d.fma(x2, a22);
            d = FloatVector.fromArray(SPECIES, gy, g3 + u);
            a30 = d.fma(x0, a30);
            a31 = d.fma(x1, a31);
            a32 = d.fma(x2, a32);
        }
        out[0] += a00.reduceLanes(VectorOperators.ADD);
        out[1] += a01.reduceLanes(VectorOperators.ADD);
        out[2] += a02.reduceLanes(VectorOperators.ADD);
        out[3] += a10.reduceLanes(VectorOperators.ADD);
        out[4] += a11.reduceLanes(VectorOperators.ADD);
        out[5] += a12.reduceLanes(VectorOperators.ADD);
        out[6] += a20.reduceLanes(VectorOperators.ADD);
        out[7] += a21.reduceLanes(VectorOperators.ADD);
        out[8] += a22.reduceLanes(VectorOperators.ADD);
        out[9] += a30.reduceLanes(VectorOperators.ADD);
        out[10] += a31.reduceLanes(VectorOperators.ADD);
        out[11] += a32.reduceLanes(VectorOperators.ADD);
    }

    private static void dot2x3(float[] gy, int gyOff, int ldr, float[] src, int o0, int o1, int o2, int n,
                               float[] out) {
        FloatVector a00 = FloatVector.zero(SPECIES);
        FloatVector a01 = a00;
        FloatVector a02 = a00;
        FloatVector a10 = a00;
        FloatVector a11 = a00;
        FloatVector a12 = a00;
        int g0 = gyOff, g1 = g0 + ldr;
        for (int u = 0; u < n; u += L) {
            FloatVector x0 = FloatVector.fromArray(SPECIES, src, o0 + u);
            FloatVector x1 = FloatVector.fromArray(SPECIES, src, o1 + u);
            FloatVector x2 = FloatVector.fromArray(SPECIES, src, o2 + u);
            FloatVector d = FloatVector.fromArray(SPECIES, gy, g0 + u);
            a00 = d.fma(x0, a00);
            a01 = d.fma(x1, a01);
            a02 = d.fma(x2, a02);
            d = FloatVector.fromArray(SPECIES, gy, g1 + u);
            a10 = d.fma(x0, a10);
            a11 = d.fma(x1, a11);
            a12 = d.fma(x2, a12);
        }
        out[0] += a00.reduceLanes(VectorOperators.ADD);
        out[1] += a01.reduceLanes(VectorOperators.ADD);
        out[2] += a02.reduceLanes(VectorOperators.ADD);
        out[3] += a10.reduceLanes(VectorOperators.ADD);
        out[4] += a11.reduceLanes(VectorOperators.ADD);
        out[5] += a12.reduceLanes(VectorOperators.ADD);
    }

    private static void store(FloatVector v, float[] t, int idx, boolean add) {
        if (add) {
            v = v.add(FloatVector.fromArray(SPECIES, t, idx));
        }
        v.intoArray(t, idx);
    }
}
