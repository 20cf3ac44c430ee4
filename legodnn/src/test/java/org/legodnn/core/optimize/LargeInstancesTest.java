package org.legodnn.core.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Crafted instances far beyond any real store — 100 blocks × 20 options and 300 × 30, correlated like pruning
 * profiles, budgets tight (10% and 25% of each resource's range) — still get an answer from the optimizer
 * within its time limit: a composition that meets the budgets, with a finite proven gap (0 when the search
 * finished; these instances finish well within 300 ms here, so the gap of a search stopped early is checked
 * with a node limit). How long it takes is the benchmark's business ({@code OptimizerBenchmark}), not this
 * test's.
 */
class LargeInstancesTest {

    private static final BranchAndBound.Limits LIMITS = new BranchAndBound.Limits(Long.MAX_VALUE, 300);

    @ParameterizedTest(name = "{0}x{1} at {2}")
    @CsvSource({"100, 20, 0.10", "100, 20, 0.25", "300, 30, 0.10", "300, 30, 0.25"})
    void answersWithinItsLimitWithAFeasibleCompositionAndAFiniteGap(int blocks, int options, double fraction) {
        Random rnd = new Random(blocks * 31L + options);
        for (int t = 0; t < 2; t++) {
            ScalingProblem p = RandomProblems.correlated(rnd, blocks, options, fraction, 0.05);
            Selection s = BranchAndBound.solve(p, LIMITS);
            assertTrue(s.feasible(), "the most pruned composition fits a budget at " + fraction + ": " + s);
            assertTrue(p.feasible(s.choice()), s.toString());
            assertEquals(p.objectiveOf(s.choice()), s.objective(), 1e-12 * Math.max(1, Math.abs(s.objective())));
            assertTrue(Double.isFinite(s.gap()) && s.gap() >= 0, "a proven, finite gap: " + s);
            if (s.optimal()) {
                assertEquals(0, s.gap(), s.toString());
            }

            // stopped early (here by nodes, so that the test does not depend on the machine's speed): still a
            // composition within the budgets, and the gap it reports holds the optimum
            Selection cut = BranchAndBound.solve(p, new BranchAndBound.Limits(blocks / 2, 10_000));
            assertFalse(cut.optimal(), cut.toString());
            assertTrue(cut.feasible() && p.feasible(cut.choice()), cut.toString());
            assertTrue(Double.isFinite(cut.gap()) && cut.gap() >= 0, cut.toString());
            if (s.optimal()) {
                double tol = 1e-12 * Math.max(1, Math.abs(s.objective()));
                assertTrue(cut.objective() >= s.objective() - tol, cut + " vs " + s);
                assertTrue(cut.objective() - cut.gap() <= s.objective() + tol, "the optimum lies within the gap: " + cut);
            }

            // the library's relaxing entry point answers the same way, and reports no relaxation it did not need
            RelaxedSelection r = Relaxation.solve(p, RelaxPolicy.DEFAULT, LIMITS);
            assertFalse(r.relaxed(), r.toString());
            assertTrue(r.selection().feasible() && Double.isFinite(r.selection().gap()), r.toString());
        }
    }
}
