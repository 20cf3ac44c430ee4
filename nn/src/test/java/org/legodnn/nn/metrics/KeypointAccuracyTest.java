package org.legodnn.nn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** PCK and mean pixel error on keypoints placed by hand (3-4-5 triangles give exact distances). */
class KeypointAccuracyTest {

    @Test
    void aKeypointExactlyAtTheThresholdMisses() {
        KeypointAccuracy pck = new KeypointAccuracy(0.1);
        // Box diagonal 50: the threshold is 5 pixels. Distances 5 (at it: a miss), 4.999 (a hit), 0, 10.
        pck.add(new float[] {13, 24, 10, 24.999f, 0, 0, 6, 8},
                new float[] {10, 20, 10, 20, 0, 0, 0, 0}, 50);
        assertEquals(0.5, pck.pck(), 1e-12);
        assertEquals((5 + 4.999 + 0 + 10) / 4, pck.meanPixelError(), 1e-6);
        assertEquals(4, pck.keypoints());
    }

    @Test
    void accumulatesOverObjects() {
        KeypointAccuracy pck = new KeypointAccuracy(0.2);
        pck.add(new float[] {3, 4}, new float[] {0, 0}, 20);   // 5 < 0.2·20 = 4? no
        pck.add(new float[] {3, 4}, new float[] {0, 0}, 30);   // 5 < 6: yes
        assertEquals(0.5, pck.pck(), 1e-12);
        assertEquals(5.0, pck.meanPixelError(), 1e-12);
    }

    @Test
    void emptyIsUndefinedAndBadInputIsRefused() {
        KeypointAccuracy pck = new KeypointAccuracy(0.1);
        assertTrue(Double.isNaN(pck.pck()));
        assertThrows(IllegalArgumentException.class, () -> pck.add(new float[] {1, 2}, new float[] {1}, 10));
        assertThrows(IllegalArgumentException.class, () -> pck.add(new float[] {1, 2}, new float[] {1, 2}, 0));
        assertThrows(IllegalArgumentException.class, () -> new KeypointAccuracy(0));
    }
}
