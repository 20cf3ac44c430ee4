package org.legodnn.kernels.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How the drivers cut C into tiles for their threads ({@link TileMath#columnGroups}). */
class TileMathTest {

    @Test
    void oneThreadTakesEveryColumnAtOnce() {
        assertEquals(1, TileMath.columnGroups(1, 11, 32));
        assertEquals(1, TileMath.columnGroups(1, 1, 1));
    }

    @Test
    void oddRowTileCountIsEvenedOutByColumns() {
        assertEquals(2, TileMath.columnGroups(2, 11, 32)); // 1024² at 6 rows: 22 tiles, 11 each
        assertEquals(1, TileMath.columnGroups(2, 12, 32)); // already even
        assertEquals(3, TileMath.columnGroups(3, 7, 30));
    }

    @Test
    void fewRowTilesGetAtLeastTwoTilesPerThread() {
        assertEquals(4, TileMath.columnGroups(2, 1, 40));
        assertEquals(2, TileMath.columnGroups(2, 1, 2));   // never thinner than one panel
        assertEquals(1, TileMath.columnGroups(2, 3, 1));
    }

    @Test
    void groupsAreWithinBoundsAndEvenOutTheTilesOrAreTheMinimum() {
        for (int threads = 1; threads <= 8; threads++) {
            for (int mTiles = 1; mTiles <= 20; mTiles++) {
                for (int nPanels = 1; nPanels <= 70; nPanels++) {
                    int g = TileMath.columnGroups(threads, mTiles, nPanels);
                    String what = threads + " threads, " + mTiles + " row tiles, " + nPanels + " panels: " + g;
                    assertTrue(g >= 1 && g <= nPanels, what);
                    int least = threads == 1 ? 1 : Math.min(nPanels, TileMath.ceilDiv(2 * threads, mTiles));
                    // The drivers cut the panels into ceil(nPanels / ceil(nPanels / g)) groups.
                    int cut = TileMath.ceilDiv(nPanels, TileMath.ceilDiv(nPanels, g));
                    assertTrue(g == least || (cut == g && mTiles * g % threads == 0), what);
                }
            }
        }
    }
}
