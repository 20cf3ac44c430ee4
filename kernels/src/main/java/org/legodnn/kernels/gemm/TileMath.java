package org.legodnn.kernels.gemm;

/** The integer arithmetic of cutting a matrix into blocks and tiles, written once for the GEMM drivers. */
final class TileMath {

    private TileMath() {
    }

    /** How many pieces of {@code y} cover {@code x} ({@code x, y > 0}). */
    static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    /** {@code x} rounded up to a multiple of {@code multiple}. */
    static int roundUp(int x, int multiple) {
        return ceilDiv(x, multiple) * multiple;
    }
}
