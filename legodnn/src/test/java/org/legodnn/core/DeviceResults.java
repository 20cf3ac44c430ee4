package org.legodnn.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.legodnn.tensor.Tensor;

/** How the tests compare a device's result with the CPU's: same shape, max error within 1e-4 of the largest value. */
public final class DeviceResults {

    private DeviceResults() {
    }

    /** Fails unless {@code actual} has {@code expected}'s shape and every value within 1e-4 × max |expected|. */
    public static void assertClose(Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape());
        double scale = 1e-6;
        double worst = 0;
        for (int i = 0; i < expected.size(); i++) {
            scale = Math.max(scale, Math.abs(expected.data()[i]));
            worst = Math.max(worst, Math.abs(expected.data()[i] - actual.data()[i]));
        }
        assertTrue(worst <= 1e-4 * scale, "max error " + worst + " at scale " + scale);
    }
}
