package org.legodnn.graph.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The names of the calibration methods and the observers they make. */
class CalibrationTest {

    @Test
    void parsesAnyCase() {
        assertEquals(Calibration.MINMAX, Calibration.parse("minmax"));
        assertEquals(Calibration.MINMAX, Calibration.parse("MinMax"));
        assertEquals(Calibration.PERCENTILE, Calibration.parse("percentile"));
        assertEquals(Calibration.PERCENTILE, Calibration.parse("PERCENTILE"));
        assertEquals(Calibration.ENTROPY, Calibration.parse("entropy"));
        assertEquals(Calibration.ENTROPY, Calibration.parse("Entropy"));
    }

    @Test
    void rejectsOtherSpellings() {
        for (String bad : new String[] {"kl", "min-max", " minmax", "", "max"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Calibration.parse(bad));
            String m = e.getMessage();
            assertTrue(m.contains("'" + bad + "'"), m);
            assertTrue(m.contains("minmax") && m.contains("percentile") && m.contains("entropy"), m);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Calibration.parse(null));
        assertTrue(e.getMessage().contains("null"), e.getMessage());
    }

    @Test
    void makesFreshObservers() {
        assertInstanceOf(MinMaxObserver.class, Calibration.MINMAX.newObserver());
        assertInstanceOf(PercentileObserver.class, Calibration.PERCENTILE.newObserver());
        assertInstanceOf(EntropyObserver.class, Calibration.ENTROPY.newObserver());
        assertNotSame(Calibration.ENTROPY.newObserver(), Calibration.ENTROPY.newObserver());
        RangeObserver o = Calibration.PERCENTILE.newObserver();
        assertEquals(PercentileObserver.DEFAULT_PERCENTILE, ((PercentileObserver) o).percentile());
    }
}
