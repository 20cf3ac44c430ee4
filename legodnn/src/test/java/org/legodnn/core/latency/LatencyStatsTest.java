package org.legodnn.core.latency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Median and percentiles of known samples, odd and even counts, and the rejection of bad samples. */
class LatencyStatsTest {

    @Test
    void oddCountTakesTheMiddleSample() {
        double[] samples = {5, 1, 4, 2, 3};
        LatencyStats s = LatencyStats.of(samples);
        assertEquals(3.0, s.medianMs());
        assertEquals(1.4, s.p10Ms(), 1e-12); // position 0.4 between 1 and 2
        assertEquals(4.6, s.p90Ms(), 1e-12); // position 3.6 between 4 and 5
        assertEquals(5, s.samples());
        assertEquals(5.0, samples[0], "the caller's array is not sorted in place");
    }

    @Test
    void evenCountAveragesTheMiddleTwo() {
        LatencyStats s = LatencyStats.of(new double[] {10, 2, 8, 4});
        assertEquals(6.0, s.medianMs());
        assertEquals(2.6, s.p10Ms(), 1e-12); // position 0.3 between 2 and 4
        assertEquals(9.4, s.p90Ms(), 1e-12); // position 2.7 between 8 and 10
        assertEquals(4, s.samples());
    }

    @Test
    void oneSampleIsEveryPercentile() {
        LatencyStats s = LatencyStats.of(new double[] {0.25});
        assertEquals(new LatencyStats(0.25, 0.25, 0.25, 1), s);
    }

    @Test
    void equalSamplesHaveNoSpread() {
        LatencyStats s = LatencyStats.of(new double[] {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1});
        assertEquals(0.1, s.p10Ms());
        assertEquals(0.1, s.medianMs());
        assertEquals(0.1, s.p90Ms());
    }

    @Test
    void scalingKeepsTheCount() {
        LatencyStats s = LatencyStats.of(new double[] {1, 2, 3}).scaled(2);
        assertEquals(4.0, s.medianMs());
        assertEquals(3, s.samples());
        assertThrows(IllegalArgumentException.class, () -> s.scaled(0));
        assertThrows(IllegalArgumentException.class, () -> s.scaled(Double.NaN));
    }

    @Test
    void badSamplesAreRejectedWithWhatWasExpected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LatencyStats.of(new double[0]));
        assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LatencyStats.of(new double[] {1, Double.NaN}));
        assertTrue(e.getMessage().contains("sample 1") && e.getMessage().contains("finite"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LatencyStats.of(new double[] {-1}));
        assertThrows(IllegalArgumentException.class, () -> LatencyStats.of(new double[] {Double.POSITIVE_INFINITY}));
        assertThrows(IllegalArgumentException.class, () -> new LatencyStats(2, 3, 4, 5), "p10 above the median");
        assertThrows(IllegalArgumentException.class, () -> new LatencyStats(1, 1, 1, 0), "no samples");
    }
}
