package org.legodnn.core.latency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The arithmetic of a profile: frame, relative drops, estimates, scaling and its JSON round trip. */
class LatencyProfileTest {

    static LatencyStats ms(double v) {
        return new LatencyStats(v, v, v, 1);
    }

    /** Two blocks: 4 → 3 → 1 ms and 2 → 1 ms; the whole model 7 ms, so the frame is 1 ms. */
    static LatencyProfile twoBlocks() {
        return LatencyProfile.of(List.of(List.of(ms(4), ms(3), ms(1)), List.of(ms(2), ms(1))), ms(7), 2);
    }

    @Test
    void frameIsTheWholeMinusTheOriginalBlocks() {
        LatencyProfile p = twoBlocks();
        assertEquals(1.0, p.frameMs());
        assertEquals(7.0, p.wholeMs());
        assertEquals(1, p.batchSize());
        assertEquals(2, p.threads());
        assertEquals("cpu", p.backend());
        assertEquals(2, p.blockCount());
        assertEquals(3, p.descendantCount(0));
        assertEquals(2, p.descendantCount(1));
    }

    @Test
    void frameIsClampedAtZero() {
        LatencyProfile p = LatencyProfile.of(List.of(List.of(ms(4)), List.of(ms(2))), ms(5), 1);
        assertEquals(0.0, p.frameMs());
        assertEquals(6.0, p.estimateMs(new int[] {0, 0}));
    }

    @Test
    void relativeDropIsTheOriginals() {
        LatencyProfile p = twoBlocks();
        assertEquals(0.0, p.relativeDrop(0, 0));
        assertEquals(0.25, p.relativeDrop(0, 1), 1e-15);
        assertEquals(0.75, p.relativeDrop(0, 2), 1e-15);
        assertEquals(0.5, p.relativeDrop(1, 1), 1e-15);
        LatencyProfile zero = new LatencyProfile(List.of(List.of(ms(0), ms(0))), 0, ms(0), 1, 1, "cpu");
        assertEquals(0.0, zero.relativeDrop(0, 1), "no division by zero");
    }

    @Test
    void estimateIsFramePlusChosenBlocks() {
        LatencyProfile p = twoBlocks();
        assertEquals(7.0, p.estimateMs(new int[] {0, 0}));
        assertEquals(1 + 3 + 1, p.estimateMs(new int[] {1, 1}));
        assertEquals(1 + 1 + 2, p.estimateMs(new int[] {2, 0}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.estimateMs(new int[] {0}));
        assertTrue(e.getMessage().contains("one per block: 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.estimateMs(new int[] {0, 2}));
        assertTrue(e.getMessage().contains("block 1 has 2 descendants"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> p.blockMs(2, 0));
    }

    @Test
    void scalingMultipliesEveryFigureAndKeepsDrops() {
        LatencyProfile p = twoBlocks().scaled(1.5);
        assertEquals(1.5, p.frameMs(), 1e-12);
        assertEquals(10.5, p.wholeMs(), 1e-12);
        assertEquals(4.5, p.blockMs(0, 1), 1e-12);
        assertEquals(0.75, p.relativeDrop(0, 2), 1e-12);
        assertEquals(2, p.threads());
    }

    @Test
    void jsonRoundTripIsLossless() {
        LatencyProfile p = LatencyProfile.of(List.of(List.of(LatencyStats.of(new double[] {0.1, 0.3, 0.7}),
                LatencyStats.of(new double[] {1.0 / 3, 0.2})), List.of(ms(0.123456789012345))), ms(2.5), 2);
        String text = LatencyProfileJson.write(p);
        assertEquals(p, LatencyProfileJson.read(text), text);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LatencyProfileJson.read("{\"format\": \"other\", \"version\": 1}"));
        assertTrue(e.getMessage().contains("expected legodnn-latency-profile"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LatencyProfileJson.read("not json"));
        assertThrows(IllegalArgumentException.class,
                () -> LatencyProfileJson.read(text.replace("\"frame_ms\"", "\"frame\"")));
    }
}
