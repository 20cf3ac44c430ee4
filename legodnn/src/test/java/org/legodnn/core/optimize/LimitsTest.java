package org.legodnn.core.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A search that a limit stops answers with the best composition found and a proven gap: the optimum lies within
 * it, so a crafted or huge instance costs a bounded search, never a hang.
 */
class LimitsTest {

    @Test
    void aNodeLimitGivesTheBestFoundAndAGapThatHoldsTheOptimum() {
        Random rnd = new Random(11);
        int stopped = 0;
        for (int t = 0; t < 20; t++) {
            ScalingProblem p = RandomProblems.correlated(rnd, 12, 5, 0.3, 0.1);
            Selection exact = BranchAndBound.solve(p);
            Selection limited = BranchAndBound.solve(p, new BranchAndBound.Limits(50, 10_000));
            if (!exact.feasible()) {
                continue;
            }
            assertTrue(exact.optimal() && exact.gap() == 0, exact.toString());
            if (limited.optimal()) {
                assertEquals(exact.objective(), limited.objective(), 1e-12);
                continue;
            }
            stopped++;
            assertTrue(limited.feasible(), "the greedy start is kept: " + limited);
            assertTrue(p.feasible(limited.choice()), limited.toString());
            assertTrue(limited.gap() >= 0, limited.toString());
            assertTrue(limited.objective() >= exact.objective() - 1e-12, limited + " vs " + exact);
            assertTrue(limited.objective() - limited.gap() <= exact.objective() + 1e-12,
                    "the optimum lies within the gap: " + limited + " vs " + exact);
        }
        assertTrue(stopped > 5, stopped + " searches stopped by the node limit");
    }

    @Test
    void aTimeLimitStopsAHugeInstance() {
        ScalingProblem p = RandomProblems.correlated(new Random(2), 300, 30, 0.2, 0.05);
        Selection s = BranchAndBound.solve(p, new BranchAndBound.Limits(Long.MAX_VALUE, 200));
        if (!s.optimal()) {
            assertTrue(s.feasible() ? s.gap() >= 0 : s.gap() == Double.POSITIVE_INFINITY, s.toString());
        }
        RelaxedSelection r = Relaxation.solve(p.withBudgets(0, 0), RelaxPolicy.BOTH,
                new BranchAndBound.Limits(Long.MAX_VALUE, 200));
        assertFalse(r.selection().optimal() && !r.selection().feasible(), "an impossible budget is loosened: " + r);
        assertThrows(IllegalArgumentException.class, () -> new BranchAndBound.Limits(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new BranchAndBound.Limits(1, 0));
    }
}
