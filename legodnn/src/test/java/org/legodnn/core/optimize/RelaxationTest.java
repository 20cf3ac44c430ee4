package org.legodnn.core.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Budgets that nothing meets are loosened in 5% steps of the original model, as the {@link RelaxPolicy} allows:
 * the original's order (memory first, then latency), latency only (memory a hard limit), both together, or none.
 */
class RelaxationTest {

    @Test
    void feasibleBudgetsAreNotTouched() throws IOException {
        OriginalProfiles o = OriginalProfiles.read(OriginalProfilesTest.reference());
        ScalingProblem p = o.problem(4.0, 30e6);
        RelaxedSelection r = Relaxation.solve(p);
        assertFalse(r.relaxed());
        assertEquals(0, r.steps());
        assertEquals(4.0, r.latencyBudget());
        assertEquals(30e6, r.memoryBudget());
        assertEquals(BranchAndBound.solve(p), r.selection());
    }

    @Test
    void memoryIsRelaxedInStepsOfTheOriginalSize() throws IOException {
        OriginalProfiles o = OriginalProfiles.read(OriginalProfilesTest.reference());
        double asked = 0.1 * o.originalMemoryBytes(); // far below the smallest composition
        ScalingProblem p = o.problem(5.0, asked);
        assertFalse(BranchAndBound.solve(p).feasible());
        RelaxedSelection r = Relaxation.solve(p);
        assertTrue(r.relaxed());
        assertTrue(r.selection().feasible());
        assertEquals(5.0, r.latencyBudget(), "latency untouched: memory was the problem");
        double step = 0.05 * o.originalMemoryBytes();
        long k = Math.round((r.memoryBudget() - asked) / step);
        assertEquals(asked + k * step, r.memoryBudget(), 1e-6, "a whole number of 5% steps");
        assertTrue(r.memoryBudget() >= p.minMemory());
        assertFalse(BranchAndBound.solve(p.withBudgets(5.0, r.memoryBudget() - step)).feasible(), "one step less fails");
        assertOptimalUnder(p, r);
    }

    @Test
    void latencyIsRelaxedAfterMemory() throws IOException {
        OriginalProfiles o = OriginalProfiles.read(OriginalProfilesTest.reference());
        ScalingProblem p = o.problem(0.5 * o.originalLatencyMs(), 0.5 * o.originalMemoryBytes()); // below the fastest
        RelaxedSelection r = Relaxation.solve(p);
        assertTrue(r.relaxed());
        assertTrue(r.selection().feasible());
        assertEquals(p.maxMemory(), r.memoryBudget(), "memory relaxed up to the largest composition first");
        double step = 0.05 * o.originalLatencyMs();
        double asked = p.latencyBudget();
        long k = Math.round((r.latencyBudget() - asked) / step);
        assertEquals(asked + k * step, r.latencyBudget(), 1e-9);
        assertFalse(BranchAndBound.solve(p.withBudgets(r.latencyBudget() - step, r.memoryBudget())).feasible());
        assertOptimalUnder(p, r);
    }

    @Test
    void alwaysEndsFeasibleOnRandomProblems() {
        Random rnd = new Random(3);
        int relaxed = 0;
        for (int t = 0; t < 200; t++) {
            ScalingProblem p = RandomBruteForceTest.ragged(rnd, 1 + rnd.nextInt(6), t % 2 == 0);
            p = p.withBudgets(p.latencyBudget() - 5 * rnd.nextDouble(), p.memoryBudget() - 5 * rnd.nextDouble());
            RelaxedSelection r = Relaxation.solve(p);
            assertTrue(r.selection().feasible(), p.toString());
            assertTrue(r.latencyBudget() >= p.latencyBudget() && r.memoryBudget() >= p.memoryBudget());
            assertEquals(r.relaxed(), r.steps() > 0);
            assertEquals(!BranchAndBound.solve(p).feasible(), r.relaxed(), p.toString());
            assertOptimalUnder(p, r);
            relaxed += r.relaxed() ? 1 : 0;
        }
        assertTrue(relaxed > 30, relaxed + " relaxed");
    }

    @Test
    void theDefaultNeverLoosensMemory() throws IOException {
        // the case: 2 ms and 12 MiB on the original's profiles
        OriginalProfiles o = OriginalProfiles.read(OriginalProfilesTest.reference());
        ScalingProblem p = o.problem(2.0, 12 * 1024 * 1024);
        assertFalse(BranchAndBound.solve(p).feasible());
        RelaxedSelection byLatency = Relaxation.solve(p, RelaxPolicy.DEFAULT);
        assertEquals(RelaxPolicy.LATENCY, RelaxPolicy.DEFAULT);
        assertTrue(byLatency.relaxed() && byLatency.selection().feasible());
        assertEquals(p.memoryBudget(), byLatency.memoryBudget(), "memory untouched");
        assertTrue(byLatency.selection().memory() <= 12 * 1024 * 1024, byLatency.toString());
        assertTrue(byLatency.latencyBudget() > 2.0);
        assertOptimalUnder(p, byLatency);
        RelaxedSelection original = Relaxation.solve(p, RelaxPolicy.MEMORY);
        assertEquals(Relaxation.solve(p), original, "the one-argument solve is the original's order");
        assertTrue(original.memoryBudget() > p.memoryBudget());

        ScalingProblem tiny = o.problem(2.0, 0.1 * o.originalMemoryBytes()); // below the smallest composition
        RelaxedSelection none = Relaxation.solve(tiny, RelaxPolicy.LATENCY);
        assertFalse(none.selection().feasible(), "no latency makes a composition fit memory it cannot");
        assertFalse(Relaxation.solve(tiny, RelaxPolicy.NONE).selection().feasible());
        assertEquals(0, Relaxation.solve(tiny, RelaxPolicy.NONE).steps());
    }

    @Test
    void bothLoosensBothBudgetsStepByStep() {
        Random rnd = new Random(5);
        for (int t = 0; t < 200; t++) {
            ScalingProblem p = RandomBruteForceTest.ragged(rnd, 1 + rnd.nextInt(6), t % 2 == 0);
            p = p.withBudgets(p.latencyBudget() - 5 * rnd.nextDouble(), p.memoryBudget() - 5 * rnd.nextDouble());
            RelaxedSelection r = Relaxation.solve(p, RelaxPolicy.BOTH);
            assertTrue(r.selection().feasible(), p.toString());
            assertEquals(!BranchAndBound.solve(p).feasible(), r.relaxed(), p.toString());
            assertTrue(r.latencyBudget() >= p.latencyBudget() && r.memoryBudget() >= p.memoryBudget());
            assertOptimalUnder(p, r);
            RelaxedSelection l = Relaxation.solve(p, RelaxPolicy.LATENCY);
            assertEquals(p.memoryBudget(), l.memoryBudget(), p.toString());
            assertEquals(p.memoryBudget() >= p.minMemory() || !r.relaxed(), l.selection().feasible(), p.toString());
        }
    }

    /** The selection is feasible and optimal under the budgets reported. */
    private static void assertOptimalUnder(ScalingProblem p, RelaxedSelection r) {
        ScalingProblem q = p.withBudgets(r.latencyBudget(), r.memoryBudget());
        assertTrue(q.feasible(r.selection().choice()));
        assertEquals(BruteForce.solve(q).objective(), r.selection().objective(), 1e-12);
    }
}
