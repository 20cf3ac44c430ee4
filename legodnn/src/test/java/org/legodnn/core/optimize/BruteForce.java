package org.legodnn.core.optimize;

/**
 * Plain enumeration of every composition, because the tests need an answer that is obviously right to hold
 * the branch and bound against. Exponential: for small problems only (it refuses more than 2^26
 * compositions). Ties keep the first composition in odometer order (block 0 slowest).
 */
public final class BruteForce {

    /** The most compositions it agrees to enumerate. */
    public static final long LIMIT = 1L << 26;

    private BruteForce() {
    }

    /** The optimal composition, or a proven-infeasible answer; {@code nodes} counts compositions. */
    public static Selection solve(ScalingProblem p) {
        int n = p.blocks();
        long count = 1;
        for (int i = 0; i < n; i++) {
            count *= p.options(i);
            if (count > LIMIT) {
                throw new IllegalArgumentException("BruteForce: more than " + LIMIT + " compositions ("
                        + n + " blocks); expected a small problem");
            }
        }
        int[] x = new int[n];
        int[] best = null;
        double bestObjective = Double.POSITIVE_INFINITY;
        long seen = 0;
        while (true) {
            seen++;
            if (p.feasible(x)) {
                double o = p.objectiveOf(x);
                if (o < bestObjective) {
                    bestObjective = o;
                    best = x.clone();
                }
            }
            int i = n - 1;
            while (i >= 0 && ++x[i] == p.options(i)) {
                x[i] = 0;
                i--;
            }
            if (i < 0) {
                break;
            }
        }
        return best == null ? Selection.infeasible(true, seen) : p.evaluate(best, true, seen);
    }
}
