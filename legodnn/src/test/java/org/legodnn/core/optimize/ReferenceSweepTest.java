package org.legodnn.core.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The branch and bound against brute force over all 4^8 compositions of the original LegoDNN's ResNet-18
 * profiles, for 12 latency × 8 memory budgets from infeasible to loose, plus the original model's own
 * latency and size as budgets.
 */
class ReferenceSweepTest {

    private static final double[] LATENCY_FRACTIONS = {-0.05, 0, 0.02, 0.1, 0.2, 0.3, 0.45, 0.6, 0.75, 0.9, 1.0, 1.2};
    private static final double[] MEMORY_FRACTIONS = {-0.05, 0, 0.05, 0.2, 0.4, 0.6, 0.85, 1.05};

    @Test
    void sameOptimumAsBruteForce() throws IOException {
        OriginalProfiles o = OriginalProfiles.read(OriginalProfilesTest.reference());
        ScalingProblem loose = o.problem(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
        int feasible = 0;
        int infeasible = 0;
        for (double lf : LATENCY_FRACTIONS) {
            for (double mf : MEMORY_FRACTIONS) {
                ScalingProblem p = RandomProblems.atFraction(loose, lf, mf);
                if (check(p, "latency fraction " + lf + ", memory fraction " + mf)) {
                    feasible++;
                } else {
                    infeasible++;
                }
            }
        }
        check(loose.withBudgets(o.originalLatencyMs(), o.originalMemoryBytes()), "the original's own budgets");
        check(loose.withBudgets(0.9 * o.originalLatencyMs(), 0.5 * o.originalMemoryBytes()), "90% latency, 50% memory");
        assertTrue(feasible > 40 && infeasible > 15, feasible + " feasible, " + infeasible + " infeasible budgets");
    }

    /** Compares both solvers on one problem; returns whether it was feasible. */
    private static boolean check(ScalingProblem p, String what) {
        Selection ours = BranchAndBound.solve(p);
        Selection all = BruteForce.solve(p);
        assertEquals(65536, all.nodes());
        assertTrue(ours.optimal(), what);
        assertEquals(all.feasible(), ours.feasible(), what + ": " + ours + " vs brute force " + all);
        if (all.feasible()) {
            assertEquals(all.objective(), ours.objective(), 1e-12, what + ": " + ours + " vs brute force " + all);
            assertTrue(p.feasible(ours.choice()), what);
            assertEquals(p.objectiveOf(ours.choice()), ours.objective());
            assertEquals(p.latencyOf(ours.choice()), ours.latency());
            assertEquals(p.memoryOf(ours.choice()), ours.memory());
        }
        return all.feasible();
    }
}
