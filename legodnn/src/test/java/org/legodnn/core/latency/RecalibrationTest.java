package org.legodnn.core.latency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The online rescaling rule: equal ratios, a wild outlier, a spread of ratios, and bad input. */
class RecalibrationTest {

    /** {@code n} blocks, each with descendants at 2 and 1 ms; whole model 2n + 1 ms. */
    static LatencyProfile blocks(int n) {
        List<List<LatencyStats>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(List.of(LatencyProfileTest.ms(2), LatencyProfileTest.ms(1)));
        }
        return LatencyProfile.of(rows, LatencyProfileTest.ms(2 * n + 1), 1);
    }

    @Test
    void equalRatiosGiveExactlyThatRatio() {
        LatencyProfile p = blocks(4);
        int[] sel = {0, 1, 0, 1};
        Recalibration.Result r = Recalibration.scale(p, new double[] {3, 1.5, 3, 1.5}, sel);
        assertEquals(1.5, r.factor());
        assertEquals(4, r.keptCount(), "zero spread keeps every ratio");
        assertEquals(1.5, r.profile().frameMs());
        assertEquals(13.5, r.profile().wholeMs());
        assertEquals(3.0, r.profile().blockMs(2, 0));
        assertEquals(1.5, r.profile().blockMs(2, 1));
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 2; j++) {
                assertTrue(Double.isFinite(r.profile().blockMs(i, j)));
            }
        }
    }

    @Test
    void oneBlockIsItsOwnRatio() {
        Recalibration.Result r = Recalibration.scale(blocks(1), new double[] {0.5}, new int[] {1});
        assertEquals(0.5, r.factor());
        assertArrayEquals(new boolean[] {true}, r.kept());
    }

    @Test
    void aWildOutlierIsDropped() {
        LatencyProfile p = blocks(5);
        Recalibration.Result r = Recalibration.scale(p, new double[] {4, 4, 4, 4, 100}, new int[5]);
        assertEquals(2.0, r.factor());
        assertArrayEquals(new boolean[] {true, true, true, true, false}, r.kept());
        assertArrayEquals(new double[] {2, 2, 2, 2, 50}, r.ratios());
    }

    @Test
    void anOutlierAmongSpreadRatiosIsDroppedAndTheRestAveraged() {
        // ratios 1.9, 2.0, 2.1, 2.05, 1.95, 40: median 2.025, MAD 0.075, limit 0.15
        LatencyProfile p = blocks(6);
        double[] observed = {3.8, 4.0, 4.2, 4.1, 3.9, 80};
        Recalibration.Result r = Recalibration.scale(p, observed, new int[6]);
        assertEquals(5, r.keptCount());
        assertFalse(r.kept()[5]);
        assertEquals(2.0, r.factor(), 1e-12);
        assertEquals(26.0, r.profile().wholeMs(), 1e-12);
    }

    @Test
    void badInputNamesWhatWasExpected() {
        LatencyProfile p = blocks(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Recalibration.scale(p, new double[0], new int[0]));
        assertTrue(e.getMessage().contains("one of each per block: 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Recalibration.scale(p, new double[] {1, 1, 1}, new int[] {0, 0}));
        assertTrue(e.getMessage().contains("one of each per block: 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Recalibration.scale(p, new double[] {1, 0, 1}, new int[3]));
        assertTrue(e.getMessage().contains("block 1") && e.getMessage().contains("finite and > 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Recalibration.scale(p, new double[] {1, 1, Double.NaN}, new int[3]));
        assertTrue(e.getMessage().contains("block 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Recalibration.scale(p, new double[] {1, 1, 1}, new int[] {0, 2, 0}));
        assertTrue(e.getMessage().contains("block 1 has 2 descendants"), e.getMessage());
        LatencyProfile zero = new LatencyProfile(List.of(List.of(LatencyProfileTest.ms(0))), 0,
                LatencyProfileTest.ms(0), 1, 1, "cpu");
        e = assertThrows(IllegalArgumentException.class, () -> Recalibration.scale(zero, new double[] {1}, new int[1]));
        assertTrue(e.getMessage().contains("expected > 0"), e.getMessage());
    }
}
