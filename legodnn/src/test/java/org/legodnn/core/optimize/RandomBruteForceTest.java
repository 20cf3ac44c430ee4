package org.legodnn.core.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The branch and bound against brute force on many small random problems chosen to hit corners: 0 to 7
 * blocks with 1 to 5 options each (ragged), integer values with many exact ties and dominated options,
 * negative values, budgets exactly at the smallest or largest composition, infinite budgets, and switching
 * costs.
 */
class RandomBruteForceTest {

    @Test
    void sameOptimumAsBruteForce() {
        Random rnd = new Random(42);
        int feasible = 0;
        for (int t = 0; t < 1500; t++) {
            ScalingProblem p = ragged(rnd, rnd.nextInt(8), t % 3 == 0);
            Selection ours = BranchAndBound.solve(p);
            Selection all = BruteForce.solve(p);
            String what = "#" + t + " " + p;
            assertTrue(ours.optimal(), what);
            assertEquals(all.feasible(), ours.feasible(), what + ": " + ours + " vs " + all);
            if (all.feasible()) {
                feasible++;
                assertEquals(all.objective(), ours.objective(), 1e-12 * Math.max(1, Math.abs(all.objective())),
                        what + ": " + ours + " vs " + all);
                assertTrue(p.feasible(ours.choice()), what);
            }
        }
        assertTrue(feasible > 600 && feasible < 1400, feasible + " feasible");
    }

    @Test
    void correlatedAndUncorrelatedLikeTheBenchmark() {
        Random rnd = new Random(7);
        for (int t = 0; t < 300; t++) {
            int blocks = 2 + rnd.nextInt(7);
            int options = 2 + rnd.nextInt(4);
            double fraction = -0.05 + 1.1 * rnd.nextDouble();
            ScalingProblem p = t % 2 == 0 ? RandomProblems.correlated(rnd, blocks, options, fraction, 0.2)
                    : RandomProblems.uncorrelated(rnd, blocks, options, fraction, 0.2);
            if (t % 5 == 0) {
                p = RandomProblems.withSwitching(rnd, p);
            }
            Selection ours = BranchAndBound.solve(p);
            Selection all = BruteForce.solve(p);
            assertEquals(all.feasible(), ours.feasible(), p.toString());
            if (all.feasible()) {
                assertEquals(all.objective(), ours.objective(), 1e-12 * Math.max(1, Math.abs(all.objective())), p.toString());
            }
        }
    }

    /** A problem with a random number of options per block and small integer values (many ties). */
    static ScalingProblem ragged(Random rnd, int blocks, boolean switching) {
        ScalingProblem.Builder b = ScalingProblem.builder();
        double[][] bytes = new double[blocks][];
        for (int i = 0; i < blocks; i++) {
            int k = 1 + rnd.nextInt(5);
            double[] a = new double[k];
            double[] l = new double[k];
            double[] m = new double[k];
            bytes[i] = new double[k];
            for (int j = 0; j < k; j++) {
                a[j] = rnd.nextInt(6) - 1;
                l[j] = rnd.nextInt(8) - 2;
                m[j] = rnd.nextInt(8) - 2;
                bytes[i][j] = rnd.nextInt(4);
            }
            b.block(a, l, m);
        }
        b.frame(rnd.nextInt(5) - 2, rnd.nextInt(5) - 2);
        if (switching) {
            b.switching(bytes, 0.25 * rnd.nextInt(4));
        }
        ScalingProblem p = b.build();
        double lf = switch (rnd.nextInt(6)) {
            case 0 -> 0.0;
            case 1 -> 1.0;
            case 2 -> -0.2;
            default -> rnd.nextDouble();
        };
        double mf = rnd.nextInt(5) == 0 ? 0.0 : rnd.nextDouble();
        p = RandomProblems.atFraction(p, lf, mf);
        if (rnd.nextInt(10) == 0) {
            p = p.withBudgets(Double.POSITIVE_INFINITY, p.memoryBudget());
        }
        if (rnd.nextInt(10) == 0) {
            p = p.withBudgets(p.latencyBudget(), Double.POSITIVE_INFINITY);
        }
        return p;
    }
}
