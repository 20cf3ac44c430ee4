package org.legodnn.core.optimize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The greedy start: within budget when it answers, never better than the optimum, and usually close. */
class GreedyIncumbentTest {

    @Test
    void unconstrainedIsTheMostAccurateChoicePerBlock() {
        ScalingProblem p = ScalingProblem.builder()
                .block(new double[] {0, 0.1, 0.3}, new double[] {3, 2, 1}, new double[] {30, 20, 10})
                .block(new double[] {0.2, 0, 0.5}, new double[] {3, 2, 1}, new double[] {30, 20, 10})
                .build();
        PreparedProblem pp = new PreparedProblem(p);
        assertArrayEquals(new int[] {0, 1}, pp.toChoice(GreedyIncumbent.find(pp)));
    }

    @Test
    void repairsAnOverBudgetStartAtTheLeastAccuracyPerSaving() {
        // block 0 saves 2 for 0.1; block 1 saves 2 for 0.3: the greedy pays 0.1
        ScalingProblem p = ScalingProblem.builder()
                .block(new double[] {0, 0.1}, new double[] {3, 1}, new double[] {1, 1})
                .block(new double[] {0, 0.3}, new double[] {3, 1}, new double[] {1, 1})
                .budgets(4, 2)
                .build();
        PreparedProblem pp = new PreparedProblem(p);
        assertArrayEquals(new int[] {1, 0}, pp.toChoice(GreedyIncumbent.find(pp)));
    }

    @Test
    void withinBudgetAndNoBetterThanTheOptimum() {
        Random rnd = new Random(11);
        int found = 0;
        int optimal = 0;
        int feasible = 0;
        for (int t = 0; t < 400; t++) {
            ScalingProblem p = t % 2 == 0 ? RandomProblems.correlated(rnd, 6, 4, 0.2 + 0.7 * rnd.nextDouble(), 0.1)
                    : RandomProblems.uncorrelated(rnd, 6, 4, 0.2 + 0.7 * rnd.nextDouble(), 0.1);
            PreparedProblem pp = new PreparedProblem(p);
            Selection best = BruteForce.solve(p);
            feasible += best.feasible() ? 1 : 0;
            int[] g = pp.feasibleRoot() ? GreedyIncumbent.find(pp) : null;
            if (g == null) {
                continue;
            }
            found++;
            int[] choice = pp.toChoice(g);
            assertTrue(p.feasible(choice), p.toString());
            assertTrue(best.feasible());
            double objective = p.objectiveOf(choice);
            assertTrue(objective >= best.objective() - 1e-12);
            optimal += objective <= best.objective() + 1e-12 ? 1 : 0;
        }
        assertTrue(found >= 0.95 * feasible, "greedy found " + found + " of " + feasible + " feasible");
        assertTrue(optimal >= 0.4 * found, "greedy optimal on " + optimal + " of " + found);
    }

    @Test
    void findsACompositionOnTheReferenceProfiles() throws IOException {
        OriginalProfiles o = OriginalProfiles.read(OriginalProfilesTest.reference());
        ScalingProblem p = o.problem(0.9 * o.originalLatencyMs(), 0.5 * o.originalMemoryBytes());
        PreparedProblem pp = new PreparedProblem(p);
        int[] g = GreedyIncumbent.find(pp);
        assertNotNull(g);
        int[] choice = pp.toChoice(g);
        assertTrue(p.feasible(choice));
        assertEquals(BruteForce.solve(p).objective(), p.objectiveOf(choice), 0.01, "within one percent of accuracy");
    }
}
