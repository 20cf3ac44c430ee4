package org.legodnn.core.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccuracyEstimateTest {

    /**
     * Two blocks, two descendants each; teacher 0.90 on 1000 images. Drops: block 0 thinned 0.02, block 1 thinned
     * 0.05. Tested: the teacher (exact), each block alone thinned (0.885: error 0.005; 0.84: error 0.01), both
     * thinned (0.78 where the sum says 0.83: error 0.05).
     */
    private static Profiles profiles() {
        List<BlockProfile> rows = List.of(
                new BlockProfile(0, 0.0, 0.0, 1, 1, 4, 4), new BlockProfile(0, 0.5, 0.02, 1, 1, 4, 4),
                new BlockProfile(1, 0.0, 0.0, 1, 1, 4, 4), new BlockProfile(1, 0.5, 0.05, 1, 1, 4, 4));
        Map<List<Integer>, Double> tested = new LinkedHashMap<>();
        tested.put(List.of(0, 0), 0.90);
        tested.put(List.of(1, 0), 0.885);
        tested.put(List.of(0, 1), 0.84);
        tested.put(List.of(1, 1), 0.78);
        return new Profiles(new double[] {0, 0.5}, rows, 0.90, 10, 10, 40, 1000, tested);
    }

    @Test
    void theEstimateIsTheTeacherMinusTheSummedDrops() {
        assertEquals(0.90, AccuracyEstimate.of(profiles(), new int[] {0, 0}).accuracy(), 1e-12);
        assertEquals(0.83, AccuracyEstimate.of(profiles(), new int[] {1, 1}).accuracy(), 1e-12);
    }

    @Test
    void noiseIsTheLargestErrorAmongProfiledCompositionsNoFurtherFromTheTeacher() {
        // one standard error of the teacher's 0.90 on 1000 images: 0.0095; nothing else is that close
        assertEquals(0.0, AccuracyEstimate.of(profiles(), new int[] {0, 0}).noise(), 1e-12);
        assertEquals(0.005, AccuracyEstimate.of(profiles(), new int[] {1, 0}).noise(), 1e-12);
        assertEquals(0.01, AccuracyEstimate.of(profiles(), new int[] {0, 1}).noise(), 1e-12);
        assertEquals(0.05, AccuracyEstimate.of(profiles(), new int[] {1, 1}).noise(), 1e-12);
    }

    @Test
    void compositionsWithinOneStandardErrorFurtherFromTheTeacherVouchToo() {
        Profiles few = profiles();
        // on 100 images one standard error is 0.03: the teacher is vouched for by block 0 thinned (drop 0.02)
        Profiles p = new Profiles(few.sparsities(), few.rows(), 0.90, 10, 10, 40, 100, few.tested());
        assertEquals(0.005, AccuracyEstimate.of(p, new int[] {0, 0}).noise(), 1e-12);
        assertEquals(0.05, AccuracyEstimate.of(p, new int[] {0, 1}).noise(), 1e-12, "0.05 + 0.03 reaches 0.07");
    }

    @Test
    void negativeDropsCountAsZeroAsTheOptimizerCountsThem() {
        List<BlockProfile> rows = List.of(new BlockProfile(0, 0.0, 0.0, 1, 1, 4, 4),
                new BlockProfile(0, 0.5, -0.01, 1, 1, 4, 4));
        Profiles p = new Profiles(new double[] {0, 0.5}, rows, 0.90, 10, 10, 40, 100, Map.of(List.of(0), 0.90));
        assertEquals(0.90, AccuracyEstimate.of(p, new int[] {1}).accuracy(), 1e-12);
    }

    @Test
    void samplingIsTheBinomialHalfWidthOverTheProfilesImages() {
        AccuracyEstimate e = AccuracyEstimate.of(profiles(), new int[] {0, 1});
        assertEquals(1.96 * Math.sqrt(0.85 * 0.15 / 1000), e.sampling(), 1e-12);
        assertEquals(1000, e.testImages());
    }

    @Test
    void agreementAllowsTheStatedErrorsAndNoMore() {
        AccuracyEstimate e = AccuracyEstimate.of(profiles(), new int[] {1, 1});
        assertTrue(e.agreesOnProfilingImages(0.78));
        assertFalse(e.agreesOnProfilingImages(0.77));
        assertTrue(e.agreesOnOtherImages(0.77));
        assertFalse(e.agreesOnOtherImages(0.83 + 0.05 + e.sampling() + 1e-6));
        assertEquals("83.00% ± 5.00 points (± 2.33 more on images other than the profile's 1000)", e.describe());
    }

    @Test
    void aSelectionOfTheWrongLengthIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AccuracyEstimate.of(profiles(), new int[] {0}));
        assertTrue(e.getMessage().contains("a selection of 1 for 2 profiled blocks"), e.getMessage());
    }
}
