package org.legodnn.core.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The problem's own arithmetic and its refusals. */
class ScalingProblemTest {

    private static ScalingProblem small() {
        return ScalingProblem.builder()
                .block(new double[] {0, 0.1}, new double[] {2, -0.5}, new double[] {10, 4})
                .block(new double[] {0, 0.2, 0.3}, new double[] {1, 0.5, 0.25}, new double[] {8, 4, 2})
                .frame(0.5, 100)
                .budgets(2.0, 110)
                .build();
    }

    @Test
    void sumsAndBudgets() {
        ScalingProblem p = small();
        int[] x = {1, 2};
        assertEquals(0.4, p.accuracyDropOf(x), 1e-15);
        assertEquals(0.5 - 0.5 + 0.25, p.latencyOf(x), 1e-15);
        assertEquals(106, p.memoryOf(x));
        assertTrue(p.feasible(x));
        assertFalse(p.feasible(new int[] {0, 0}));
        assertEquals(3.5, p.maxLatency());
        assertEquals(0.25, p.minLatency());
        assertEquals(118, p.maxMemory());
        assertEquals(106, p.minMemory());
        assertTrue(p.fits(2.0 + 1e-10, 110), "rounding slack");
        assertFalse(p.fits(2.0 + 1e-8, 110));
        Selection s = p.evaluate(x, true, 7);
        assertEquals(106, s.memory());
        assertEquals(7, s.nodes());
    }

    @Test
    void arraysAreCopied() {
        double[] a = {0, 0.1};
        ScalingProblem p = ScalingProblem.builder().block(a, new double[] {1, 1}, new double[] {1, 1}).build();
        a[1] = 5;
        p.accuracyDrop()[0][1] = 6;
        assertEquals(0.1, p.accuracyDrop(0, 1));
    }

    @Test
    void refusesBadInput() {
        assertMessage(() -> ScalingProblem.builder().block(new double[] {0}, new double[] {1, 2}, new double[] {1}).build(),
                "block 0");
        assertMessage(() -> ScalingProblem.builder().block(new double[0], new double[0], new double[0]).build(), "no options");
        assertMessage(() -> ScalingProblem.builder().block(new double[] {Double.NaN}, new double[] {1}, new double[] {1})
                .build(), "accuracyDrop[0][0]");
        assertMessage(() -> ScalingProblem.builder().budgets(Double.NaN, 1).build(), "budgets");
        assertMessage(() -> ScalingProblem.builder().block(new double[] {0}, new double[] {1}, new double[] {1})
                .switching(new double[][] {{1}}, -1).build(), "switchWeight");
        assertMessage(() -> small().latencyOf(new int[] {0}), "one option per block");
        assertMessage(() -> small().latencyOf(new int[] {0, 3}), "option 3 of block 1");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable e, String what) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(what), x.getMessage());
    }
}
