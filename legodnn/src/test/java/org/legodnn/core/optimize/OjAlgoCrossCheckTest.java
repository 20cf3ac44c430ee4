package org.legodnn.core.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ojalgo.optimisation.Optimisation;

/**
 * Our branch and bound against ojAlgo's MIP solver on random instances from 8×4 to 50×10 — 510 in all, most
 * of them small because ojAlgo needs ~10 ms for 8×4 and up to seconds for 50×10 — correlated like real
 * pruning and uncorrelated, with negative values, tight, loose and infeasible budgets, and a switching term
 * on a share of them: the same feasibility and the same optimal objective (within 1e-9 relative).
 */
class OjAlgoCrossCheckTest {

    @ParameterizedTest(name = "{2} instances of {0}x{1}")
    @CsvSource({"8, 4, 250", "10, 5, 120", "12, 6, 60", "15, 5, 40", "20, 5, 24", "30, 8, 10", "50, 10, 6"})
    void sameOptimumAsOjAlgo(int blocks, int options, int instances) {
        Random rnd = new Random(20211025L * blocks + options);
        int compared = 0;
        int infeasible = 0;
        int switching = 0;
        int unproven = 0;
        long ourNanos = 0;
        long theirNanos = 0;
        for (int round = 0; round < instances; round++) {
            boolean correlated = rnd.nextBoolean();
            double fraction = -0.05 + 1.1 * rnd.nextDouble();
            ScalingProblem p = correlated
                    ? RandomProblems.correlated(rnd, blocks, options, fraction, 0.1)
                    : RandomProblems.uncorrelated(rnd, blocks, options, fraction, 0.1);
            if (rnd.nextDouble() < 0.3) { // the two budgets at different fractions
                p = RandomProblems.atFraction(p, rnd.nextDouble(), rnd.nextDouble());
            }
            if (rnd.nextDouble() < 0.25) {
                p = RandomProblems.withSwitching(rnd, p);
                switching++;
            }
            long t0 = System.nanoTime();
            Selection ours = BranchAndBound.solve(p);
            long t1 = System.nanoTime();
            OjAlgoSolver.Answer theirs = OjAlgoSolver.solve(p, blocks >= 30 ? 1500 : 0);
            long t2 = System.nanoTime();
            ourNanos += t1 - t0;
            theirNanos += t2 - t1;
            String what = blocks + "x" + options + " #" + round + (correlated ? " correlated " : " uncorrelated ") + p;
            if (theirs.state().isOptimal() || theirs.state() == Optimisation.State.INFEASIBLE) {
                compare(p, ours, theirs, what);
                compared++;
            } else { // ojAlgo gave up in time: its composition, if any, can only be as good as ours
                unproven++;
                if (theirs.choice() != null && p.feasible(theirs.choice())) {
                    assertTrue(ours.feasible() && ours.objective() <= p.objectiveOf(theirs.choice()) + 1e-12, what);
                }
            }
            infeasible += ours.feasible() ? 0 : 1;
        }
        // ojAlgo may give up on a 30- or 50-block instance within its time limit on a busy machine
        assertTrue(compared >= (blocks >= 30 ? instances / 2 : instances), "compared " + compared + " of " + instances
                + " (ojAlgo gave up on " + unproven + ")");
        if (instances >= 100) {
            assertTrue(infeasible > 3 && infeasible < instances / 2, "infeasible instances: " + infeasible);
            assertTrue(switching > 10, "instances with switching cost: " + switching);
        }
        System.out.printf("OjAlgoCrossCheckTest %dx%d: %d compared (%d infeasible, %d with switching, %d ojAlgo gave up"
                + " on): ours %.1f ms, ojAlgo %.1f ms%n", blocks, options, compared, infeasible, switching, unproven,
                ourNanos / 1e6, theirNanos / 1e6);
    }

    static void compare(ScalingProblem p, Selection ours, OjAlgoSolver.Answer theirs, String what) {
        assertTrue(ours.optimal(), what + ": not proven");
        if (theirs.choice() == null) {
            if (ours.feasible()) {
                fail(what + ": ojAlgo says " + theirs.state() + " but we found " + ours);
            }
            return;
        }
        boolean theirsFits = p.feasible(theirs.choice());
        if (!ours.feasible()) {
            assertTrue(!theirsFits, what + ": we found none, ojAlgo found " + Arrays.toString(theirs.choice()));
            return;
        }
        assertTrue(p.feasible(ours.choice()), what + ": our selection breaks a budget");
        assertNotNull(ours.choice());
        double theirObjective = p.objectiveOf(theirs.choice());
        double tol = 1e-9 * Math.max(1e-3, Math.abs(theirObjective));
        if (theirsFits) {
            assertEquals(theirObjective, ours.objective(), tol, what + ": ojAlgo " + Arrays.toString(theirs.choice())
                    + " vs ours " + ours);
        } else {
            // ojAlgo's tolerances let it pass a composition just over a budget: it may only look better
            assertTrue(ours.objective() >= theirObjective - tol, what + ": ojAlgo's over-budget composition is worse than ours");
        }
    }
}
