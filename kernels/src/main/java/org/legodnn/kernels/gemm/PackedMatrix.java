package org.legodnn.kernels.gemm;

import static org.legodnn.kernels.gemm.GemmMicroKernel.KC;
import static org.legodnn.kernels.gemm.GemmMicroKernel.MR;

/**
 * The left operand of a matrix product, packed once into the panel order that {@link GemmMicroKernel}
 * streams through, so that a weight matrix used on every inference call is not re-packed on every call
 * (as {@link Gemm#sgemm} must do for operands it has never seen).
 *
 * <p>Layout: the depth {@code k} is cut into {@link #depthBlocks()} even blocks of at most {@code KC};
 * block {@code b} holds {@code ceil(m / MR)} panels of {@code MR×kc} floats, as {@link GemmPacking#packA}
 * writes them (rows past {@code m} are zeros), right after the previous block: no padding beyond whole panels. Immutable once packed, so threads share it freely.
 */
public final class PackedMatrix {

    private final int m;
    private final int k;
    private final int kc0;
    private final int mPanels;
    private final float[] data;

    private PackedMatrix(int m, int k, int kc0, int mPanels, float[] data) {
        this.m = m;
        this.k = k;
        this.kc0 = kc0;
        this.mPanels = mPanels;
        this.data = data;
    }

    /** Packs the {@code m×k} row-major matrix at {@code a[aOff]} with leading dimension {@code lda}. */
    public static PackedMatrix pack(int m, int k, float[] a, int aOff, int lda) {
        if (m < 1 || k < 1) {
            throw new IllegalArgumentException("PackedMatrix: sizes must be positive, got m=" + m + " k=" + k);
        }
        if (lda < k || aOff < 0 || a == null || aOff + (long) (m - 1) * lda + k > a.length) {
            throw new IllegalArgumentException("PackedMatrix: a " + m + "x" + k + " matrix at offset " + aOff
                    + " with leading dimension " + lda + " does not fit an array of "
                    + (a == null ? "null" : a.length) + " floats");
        }
        int kc0 = (k + ceilDiv(k, KC) - 1) / ceilDiv(k, KC);
        int blocks = ceilDiv(k, kc0);
        int mPanels = ceilDiv(m, MR);
        float[] data = new float[Math.multiplyExact(mPanels * MR, k)];
        float[] tmp = new float[mPanels * MR * kc0];
        for (int b = 0; b < blocks; b++) {
            int p0 = b * kc0;
            int kc = Math.min(kc0, k - p0);
            GemmPacking.packA(false, a, aOff, lda, 0, m, p0, kc, 0, mPanels, tmp);
            System.arraycopy(tmp, 0, data, mPanels * MR * p0, mPanels * MR * kc);
        }
        return new PackedMatrix(m, k, kc0, mPanels, data);
    }

    /** Rows ({@code m}). */
    public int rows() {
        return m;
    }

    /** Columns, the depth of the product ({@code k}). */
    public int cols() {
        return k;
    }

    /** How many depth blocks the product runs in. */
    public int depthBlocks() {
        return ceilDiv(k, kc0);
    }

    /** The depth of every block but possibly the last. */
    public int blockDepth() {
        return kc0;
    }

    public int panels() {
        return mPanels;
    }

    /** Where depth block {@code b} starts in {@link #data()}: every earlier block is {@code blockDepth()} deep. */
    public int blockOffset(int b) {
        return b * mPanels * MR * kc0;
    }

    public float[] data() {
        return data;
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }
}
