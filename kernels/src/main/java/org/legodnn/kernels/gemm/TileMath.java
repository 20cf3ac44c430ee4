package org.legodnn.kernels.gemm;

/** The integer arithmetic of cutting a matrix into blocks and tiles, written once for the GEMM drivers. */
final class TileMath {

    private TileMath() {
    }

    /** How many pieces of {@code y} cover {@code x} ({@code x, y > 0}). */
    static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    /**
     * Into how many column groups the drivers cut {@code nPanels} B panels, given {@code mTiles} row tiles of C,
     * so that {@code threads} threads share the tiles out evenly: at least two tiles per thread, and then the
     * fewest groups that make the tile count a multiple of the thread count, because the last round of an
     * uneven count leaves threads idle (11 row tiles of a 1024² product on 2 threads: 6 and 5, 8% of the time
     * one thread waits; cut in two column groups, 11 and 11). One group on one thread; never thinner than one
     * B panel.
     */
    static int columnGroups(int threads, int mTiles, int nPanels) {
        if (threads <= 1) {
            return 1;
        }
        int least = Math.min(nPanels, Math.max(1, ceilDiv(2 * threads, mTiles)));
        for (int g = least; g <= nPanels && g <= 4 * least; g++) {
            int groups = ceilDiv(nPanels, ceilDiv(nPanels, g)); // what g becomes once cut into equal widths
            if (groups == g && (long) mTiles * g % threads == 0) {
                return g;
            }
        }
        return least;
    }

    /** {@code x} rounded up to a multiple of {@code multiple}. */
    static int roundUp(int x, int multiple) {
        return ceilDiv(x, multiple) * multiple;
    }
}
