package org.legodnn.kernels.gemm;

import static org.legodnn.kernels.gemm.GemmMicroKernel.KC;
import static org.legodnn.kernels.gemm.GemmMicroKernel.NR;

/**
 * The right operand of a matrix product, packed once into {@link GemmMicroKernel}'s B panels: a weight
 * matrix {@code W} ({@code n×k}, row-major) seen as {@code Wᵀ} ({@code k×n}). It serves convolutions whose
 * output has few positions (7×7, 14×14): multiplying positions × weights puts the positions on the
 * micro-kernel's short side ({@code MR}) and the channels on its long side ({@code NR}), where they divide
 * evenly, instead of padding 49 positions to 64.
 *
 * <p>Layout: depth block {@code b} (even blocks of at most {@code KC}) holds {@code ceil(n / NR)} panels of
 * {@code kc×NR} floats as {@link GemmPacking#packB} writes them, columns past {@code n} zero. Immutable.
 */
public final class PackedColumns {

    private final int n;
    private final int k;
    private final int kc0;
    private final int nPanels;
    private final float[] data;

    private PackedColumns(int n, int k, int kc0, int nPanels, float[] data) {
        this.n = n;
        this.k = k;
        this.kc0 = kc0;
        this.nPanels = nPanels;
        this.data = data;
    }

    /** Packs {@code Wᵀ} for the {@code n×k} row-major {@code w} at {@code wOff} (leading dimension {@code k}). */
    public static PackedColumns packTransposed(int n, int k, float[] w, int wOff) {
        int kc0 = (k + ceilDiv(k, KC) - 1) / ceilDiv(k, KC);
        int blocks = ceilDiv(k, kc0);
        int nPanels = ceilDiv(n, NR);
        float[] data = new float[Math.multiplyExact(nPanels * NR, k)];
        float[] tmp = new float[nPanels * NR * kc0];
        for (int b = 0; b < blocks; b++) {
            int p0 = b * kc0;
            int kc = Math.min(kc0, k - p0);
            GemmPacking.packB(true, w, wOff, k, p0, kc, 0, n, 0, nPanels, tmp);
            System.arraycopy(tmp, 0, data, nPanels * NR * p0, nPanels * NR * kc);
        }
        return new PackedColumns(n, k, kc0, nPanels, data);
    }

    int cols() {
        return n;
    }

    int depth() {
        return k;
    }

    int blockDepth() {
        return kc0;
    }

    int depthBlocks() {
        return ceilDiv(k, kc0);
    }

    public int panels() {
        return nPanels;
    }

    /** Where depth block {@code b} starts: every earlier block is {@code kc0} deep. */
    int blockOffset(int b) {
        return nPanels * NR * b * kc0;
    }

    float[] data() {
        return data;
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }
}
