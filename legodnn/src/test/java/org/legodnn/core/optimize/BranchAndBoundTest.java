package org.legodnn.core.optimize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Corners of the solver: empty and single blocks, infeasibility, ties, node limits, determinism. */
class BranchAndBoundTest {

    @Test
    void noBlocksIsTheFrameAlone() {
        ScalingProblem fits = ScalingProblem.builder().frame(1, 2).budgets(1, 2).build();
        Selection s = BranchAndBound.solve(fits);
        assertTrue(s.feasible());
        assertArrayEquals(new int[0], s.choice());
        assertEquals(0, s.objective());
        assertFalse(BranchAndBound.solve(fits.withBudgets(0.5, 2)).feasible());
    }

    @Test
    void infeasibleIsAnAnswerNotAnException() {
        ScalingProblem p = ScalingProblem.builder()
                .block(new double[] {0, 1}, new double[] {2, 1}, new double[] {1, 2})
                .block(new double[] {0, 1}, new double[] {2, 1}, new double[] {1, 2})
                .budgets(2.5, 2.5) // each budget alone can be met, both together cannot
                .build();
        Selection s = BranchAndBound.solve(p);
        assertFalse(s.feasible());
        assertTrue(s.optimal(), "infeasibility is proven");
        assertNull(s.choice());
        assertEquals(Double.POSITIVE_INFINITY, s.objective());
    }

    @Test
    void budgetExactlyAtACompositionFits() {
        ScalingProblem p = ScalingProblem.builder()
                .block(new double[] {0, 0.1}, new double[] {0.3, 0.1}, new double[] {3, 1})
                .block(new double[] {0, 0.2}, new double[] {0.7, 0.2}, new double[] {7, 2})
                .frame(0.1, 0)
                .build();
        ScalingProblem atMin = p.withBudgets(p.minLatency(), p.minMemory());
        assertArrayEquals(new int[] {1, 1}, BranchAndBound.solve(atMin).choice());
        ScalingProblem exact = p.withBudgets(0.1 + 0.3 + 0.2, 3 + 2);
        assertArrayEquals(new int[] {0, 1}, BranchAndBound.solve(exact).choice());
    }

    @Test
    void tiesPreferTheLowerIndexLessPrunedOption() {
        // sparsity 0 and 0.3 lose nothing in block 0, as in the original's ResNet-18 profiles; with room for
        // both, the original block is kept
        ScalingProblem p = ScalingProblem.builder()
                .block(new double[] {0, 0, 0.01}, new double[] {1, 0.8, 0.5}, new double[] {10, 7, 4})
                .block(new double[] {0, 0.002, 0.01}, new double[] {1, 0.8, 0.5}, new double[] {10, 7, 4})
                .budgets(1.9, 20)
                .build();
        Selection s = BranchAndBound.solve(p);
        assertArrayEquals(new int[] {1, 0}, s.choice(), "block 0 pruned for free, block 1 kept whole");
        assertArrayEquals(new int[] {0, 0}, BranchAndBound.solve(p.withBudgets(2, 20)).choice());
    }

    @Test
    void deterministic() {
        Random rnd = new Random(99);
        for (int t = 0; t < 20; t++) {
            ScalingProblem p = RandomProblems.correlated(rnd, 30, 6, 0.5, 0.1);
            Selection a = BranchAndBound.solve(p);
            Selection b = BranchAndBound.solve(p);
            assertEquals(a, b);
            assertEquals(a.nodes(), b.nodes());
        }
    }

    @Test
    void nodeLimitGivesAnUnprovenAnswer() {
        Random rnd = new Random(5);
        ScalingProblem p = RandomProblems.uncorrelated(rnd, 40, 8, 0.4, 0.1);
        Selection full = BranchAndBound.solve(p);
        assertTrue(full.optimal() && full.nodes() > 3, full.toString());
        Selection cut = BranchAndBound.solve(p, 2);
        assertFalse(cut.optimal());
        if (cut.feasible()) {
            assertTrue(p.feasible(cut.choice()));
            assertTrue(cut.objective() >= full.objective() - 1e-12);
        }
        assertThrows(IllegalArgumentException.class, () -> BranchAndBound.solve(p, 0));
    }

    @Test
    void largeProblemsAreSolvedAndVerified() {
        Random rnd = new Random(1);
        for (int t = 0; t < 10; t++) {
            ScalingProblem p = RandomProblems.correlated(rnd, 50, 10, 0.6, 0.05);
            Selection s = BranchAndBound.solve(p);
            assertTrue(s.optimal() && s.feasible());
            assertTrue(p.feasible(s.choice()));
            assertEquals(p.objectiveOf(s.choice()), s.objective());
        }
    }

    @Test
    void switchingCostMovesTheChoiceTowardsWhatIsLoaded() {
        // option 1 loses a little more accuracy, but is what runs now; switching to option 0 costs 1000 bytes
        double[][] bytes = {{1000, 0}};
        ScalingProblem p = ScalingProblem.builder()
                .block(new double[] {0.01, 0.012}, new double[] {1, 1}, new double[] {1000, 900})
                .switching(bytes, 0)
                .build();
        assertArrayEquals(new int[] {0}, BranchAndBound.solve(p).choice());
        ScalingProblem sticky = ScalingProblem.builder()
                .block(new double[] {0.01, 0.012}, new double[] {1, 1}, new double[] {1000, 900})
                .switching(bytes, 1e-5)
                .build();
        Selection s = BranchAndBound.solve(sticky);
        assertArrayEquals(new int[] {1}, s.choice());
        assertEquals(0.012, s.objective());
        assertEquals(0.01 + 1e-5 * 1000, sticky.objectiveOf(new int[] {0}), 1e-15);
    }
}
