package org.legodnn.kernels.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.legodnn.kernels.Parallel;
import org.legodnn.kernels.check.PackedConvCheck;
import org.legodnn.kernels.check.WinogradCheck;

class ConvWinogradTest {

    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @Test
    void switchTurnsItOff() {
        assertTrue(ConvWinograd.enabled(null), "on by default");
        assertTrue(ConvWinograd.enabled(" "));
        assertTrue(ConvWinograd.enabled("on"));
        assertFalse(ConvWinograd.enabled(" OFF "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConvWinograd.enabled("yes"));
        assertEquals("-Dlegodnn.winograd='yes': expected on or off", e.getMessage());
    }

    @Test
    void matchesReferenceOnOneThread() {
        Parallel.setThreads(1);
        new WinogradCheck().run(1);
    }

    @Test
    void matchesReferenceOnTwoThreads() {
        Parallel.setThreads(2);
        new WinogradCheck().run(2);
    }

    @Test
    void resnetLayersThroughPackedConv() {
        Parallel.setThreads(2);
        Random rnd = new Random(3);
        // ResNet-18's first stage and a batch of its second: Winograd geometries (PackedConv runs them by Winograd unless
        // -Dlegodnn.winograd=off), checked against the direct definition.
        ConvGeometry layer1 = ConvGeometry.square(1, 64, 56, 56, 64, 3, 1, 1, 1, 1);
        ConvGeometry batch = ConvGeometry.square(3, 128, 28, 28, 40, 3, 1, 1, 1, 1);
        assertTrue(ConvWinograd.suits(layer1));
        assertTrue(ConvWinograd.suits(batch));
        PackedConvCheck.checkConv(layer1, rnd);
        PackedConvCheck.checkConv(batch, rnd);
        WinogradCheck.check(layer1, rnd);
    }

    @Test
    void suitsOnlyPlentifulStrideOneThreeByThree() {
        assertFalse(ConvWinograd.suits(ConvGeometry.square(1, 512, 7, 7, 512, 3, 1, 1, 1, 1)), "4 tiles");
        assertFalse(ConvWinograd.suits(ConvGeometry.square(128, 64, 8, 8, 64, 3, 1, 1, 1, 1)), "4 tiles per image");
        assertFalse(ConvWinograd.suits(ConvGeometry.square(128, 16, 32, 32, 16, 3, 1, 1, 1, 1)), "16 channels");
        assertFalse(ConvWinograd.suits(ConvGeometry.square(1, 64, 56, 56, 64, 3, 2, 1, 1, 1)), "strided");
        assertFalse(ConvWinograd.suits(ConvGeometry.square(1, 64, 56, 56, 64, 3, 1, 2, 2, 1)), "dilated");
        assertFalse(ConvWinograd.suits(ConvGeometry.square(1, 64, 56, 56, 64, 3, 1, 1, 1, 2)), "grouped");
        assertFalse(ConvWinograd.suits(ConvGeometry.square(1, 3, 56, 56, 64, 3, 1, 1, 1, 1)), "3 input channels");
        assertTrue(ConvWinograd.suits(ConvGeometry.square(1, 32, 28, 28, 32, 3, 1, 1, 1, 1)), "49 tiles, 32 channels");
        assertTrue(ConvWinograd.suits(ConvGeometry.square(1, 256, 14, 14, 256, 3, 1, 1, 1, 1)), "16 tiles, 256 channels");
        assertFalse(ConvWinograd.suits(ConvGeometry.square(1, 32, 16, 16, 32, 3, 1, 1, 1, 1)),
                "16 tiles where the direct path runs");
        assertFalse(ConvWinograd.suits(ConvGeometry.square(1, 64, 56, 56, 64, 5, 1, 2, 1, 1)), "5x5");
    }

    @Test
    void knownSingleTile() {
        // All-ones 3x3 kernel on a 4x4 image of ones, padding 1: each output counts the taps inside the image.
        float[] x = new float[16];
        java.util.Arrays.fill(x, 1f);
        float[] w = {1, 1, 1, 1, 1, 1, 1, 1, 1};
        float[] y = new float[16];
        ConvWinograd.of(w, 1, 1).forward(ConvGeometry.square(1, 1, 4, 4, 1, 3, 1, 1, 1, 1), x, null, null,
                Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, y);
        float[] expected = {4, 6, 6, 4, 6, 9, 9, 6, 6, 9, 9, 6, 4, 6, 6, 4};
        assertArrayEquals(expected, y, 1e-5f);
    }

    @Test
    void rejectsAnotherGeometry() {
        ConvWinograd conv = ConvWinograd.of(new float[2 * 3 * 9], 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> conv.forward(
                ConvGeometry.square(1, 3, 8, 8, 2, 3, 2, 1, 1, 1), new float[192], null, null, 0f, 1f, new float[32]));
        assertTrue(e.getMessage().contains("3x3 stride-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConvWinograd.of(new float[10], 2, 3));
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class, () -> conv.forward(
                ConvGeometry.square(1, 3, 8, 8, 2, 3, 1, 1, 1, 1), new float[191], null, null, 0f, 1f, new float[128]));
        assertTrue(small.getMessage().contains("input needs 192 floats"), small.getMessage());
    }
}
