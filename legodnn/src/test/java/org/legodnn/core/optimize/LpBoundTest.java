package org.legodnn.core.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The bound (with or without the extra prices of {@link LpBound#strengthen()}) never exceeds what a
 * completion can reach (else the search would prune optima away), equals
 * the LP relaxation at the root (the prices found are the LP's), and says "infeasible" only when no
 * completion fits.
 */
class LpBoundTest {

    @Test
    void rootBoundIsTheLpOptimum() {
        Random rnd = new Random(17);
        int compared = 0;
        for (int t = 0; t < 60; t++) {
            ScalingProblem p = t % 2 == 0 ? RandomProblems.correlated(rnd, 10, 5, 0.1 + 0.8 * rnd.nextDouble(), 0.1)
                    : RandomProblems.uncorrelated(rnd, 10, 5, 0.1 + 0.8 * rnd.nextDouble(), 0.1);
            PreparedProblem pp = new PreparedProblem(p);
            double lp = OjAlgoSolver.lpValue(p);
            double ours = new LpBound(pp).lower(0, pp.latencyRoom, pp.memoryRoom, Double.POSITIVE_INFINITY);
            if (Double.isInfinite(lp)) {
                assertEquals(Double.POSITIVE_INFINITY, ours);
                continue;
            }
            double scale = 1e-6 * Math.max(1e-3, pp.costScale);
            assertTrue(ours <= lp + scale, "bound " + ours + " above the LP optimum " + lp);
            assertTrue(ours >= lp - scale, "bound " + ours + " well below the LP optimum " + lp);
            compared++;
        }
        assertTrue(compared > 40);
    }

    @Test
    void neverAboveTheBestCompletion() {
        Random rnd = new Random(23);
        for (int t = 0; t < 300; t++) {
            ScalingProblem p = t % 3 == 0 ? RandomBruteForceTest.ragged(rnd, 2 + rnd.nextInt(5), true)
                    : RandomProblems.correlated(rnd, 6, 4, 0.1 + 0.8 * rnd.nextDouble(), 0.2);
            PreparedProblem pp = new PreparedProblem(p);
            if (!pp.feasibleRoot()) {
                continue;
            }
            LpBound bound = new LpBound(pp);
            if (t % 2 == 1) {
                bound.strengthen(); // more prices: still never above
            }
            int n = pp.depths();
            int d = rnd.nextInt(n + 1);
            int[] fixed = new int[n];
            double latencyRoom = pp.latencyRoom;
            double memoryRoom = pp.memoryRoom;
            for (int e = 0; e < d; e++) {
                fixed[e] = rnd.nextInt(pp.cost[e].length);
                latencyRoom -= pp.latency[e][fixed[e]];
                memoryRoom -= pp.memory[e][fixed[e]];
            }
            double best = bestCompletion(pp, fixed, d, latencyRoom, memoryRoom);
            double b = bound.lower(d, latencyRoom, memoryRoom, Double.POSITIVE_INFINITY);
            if (b == Double.POSITIVE_INFINITY) {
                assertEquals(Double.POSITIVE_INFINITY, best, "the bound said infeasible: " + p);
            } else {
                assertTrue(b <= best + 1e-12 * Math.max(1, Math.abs(best)), "bound " + b + " > best completion " + best);
            }
        }
    }

    /** The cheapest completion of depths d.. within the rooms, by enumeration (+∞ if none fits). */
    private static double bestCompletion(PreparedProblem pp, int[] x, int d, double latencyRoom, double memoryRoom) {
        if (d == pp.depths()) {
            return latencyRoom >= 0 && memoryRoom >= 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        double best = Double.POSITIVE_INFINITY;
        for (int t = 0; t < pp.cost[d].length; t++) {
            x[d] = t;
            best = Math.min(best, pp.cost[d][t]
                    + bestCompletion(pp, x, d + 1, latencyRoom - pp.latency[d][t], memoryRoom - pp.memory[d][t]));
        }
        return best;
    }

    @Test
    void oneBlockValueFunctionFollowsTheHull() {
        // points (weight, cost): (0, 4), (1, 1), (2, 0.5), (3, 0): (2, 0.5) lies above the hull from (1,1) to (3,0)?
        // no: the chord from (1,1) to (3,0) passes (2, 0.5) exactly, so it is dropped as collinear
        double[][] cost = {{4, 1, 0.5, 0}};
        double[][] weight = {{0, 1, 2, 3}};
        int[][] byWeight = {{0, 1, 2, 3}};
        HullValueFunction v = new HullValueFunction(cost, weight, byWeight);
        assertEquals(0, v.value(0, 3));
        assertEquals(0, v.value(0, 10));
        assertEquals(0.5, v.value(0, 2), 1e-15);
        assertEquals(0.75, v.value(0, 1.5), 1e-15);
        assertEquals(1, v.value(0, 1), 1e-15);
        assertEquals(2.5, v.value(0, 0.5), 1e-15);
        assertEquals(4, v.value(0, 0), 1e-15);
        assertEquals(Double.POSITIVE_INFINITY, v.value(0, -0.1));
        assertEquals(0, v.value(1, 0), "no blocks left: nothing to pay");
    }
}
