package org.legodnn.core.optimize;

/**
 * The problem as the branch and bound sees it, because the search wants a different shape than the caller
 * gives: dominated options dropped ({@link Dominance}), latency and memory shifted per block so that each
 * block's smallest value is 0 (negative measurements then need no special case, and "the cheapest completion
 * fits" becomes "the room left is not negative"), blocks in branching order and each block's options in the
 * order they are tried.
 *
 * <p>Rooms are the budgets less frame and per-block minima, plus the rounding slack of
 * {@link ScalingProblem#fits} and a little more for the sums taken in another order, so that the search
 * never discards a composition that {@code fits} accepts; leaves are then checked with {@code fits} itself.
 *
 * <p>Branching order: blocks whose kept options differ most in cost first, as their choice decides most of
 * the objective; ties by block index. (Measured on random 20×5 and 50×10 instances over a grid of budgets,
 * this explored fewer nodes than block order, than the spread of Lagrangian cost, or than the Lagrangian
 * regret.) Option order: ascending Lagrangian cost {@code cost + μ·latency + ν·memory} at the root LP's prices
 * from {@link LagrangeMultipliers}, ties by option index, so the first dive follows the LP's solution and
 * good compositions are met early.
 */
final class PreparedProblem {

    final ScalingProblem source;
    /** Blocks, in branching order: depth → block index. */
    final int[] block;
    /** Per depth, the kept options in trial order: original option indices. */
    final int[][] option;
    /** Per depth and position: cost (accuracy drop + λ·switch bytes). */
    final double[][] cost;
    /** Per depth and position: latency less the block's smallest. */
    final double[][] latency;
    /** Per depth and position: memory less the block's smallest. */
    final double[][] memory;
    /** Per depth: positions in ascending latency (ties by position). */
    final int[][] byLatency;
    /** Per depth: positions in ascending memory (ties by position). */
    final int[][] byMemory;
    /** Latency budget less frame and per-block minima, plus slack. */
    final double latencyRoom;
    /** Memory budget less frame and per-block minima, plus slack. */
    final double memoryRoom;
    /** The root LP's latency price. */
    final double mu;
    /** The root LP's memory price. */
    final double nu;
    /** Σ over blocks of the largest |cost|: the scale of objective tolerances. */
    final double costScale;

    PreparedProblem(ScalingProblem p) {
        source = p;
        int n = p.blocks();
        double[][] c = new double[n][];
        double[][] l = new double[n][];
        double[][] m = new double[n][];
        int[][] kept = new int[n][];
        double latencyShift = p.frameLatency();
        double memoryShift = p.frameMemory();
        double latencyMagnitude = Math.abs(p.frameLatency());
        double memoryMagnitude = Math.abs(p.frameMemory());
        double scale = 0;
        for (int i = 0; i < n; i++) {
            int k = p.options(i);
            double[] ci = new double[k];
            double[] li = new double[k];
            double[] mi = new double[k];
            for (int j = 0; j < k; j++) {
                ci[j] = p.cost(i, j);
                li[j] = p.latency(i, j);
                mi[j] = p.memory(i, j);
            }
            int[] keep = Dominance.keep(ci, li, mi);
            kept[i] = keep;
            c[i] = new double[keep.length];
            l[i] = new double[keep.length];
            m[i] = new double[keep.length];
            double minL = Double.POSITIVE_INFINITY;
            double minM = Double.POSITIVE_INFINITY;
            double maxAbsL = 0;
            double maxAbsM = 0;
            double maxAbsC = 0;
            for (int t = 0; t < keep.length; t++) {
                c[i][t] = ci[keep[t]];
                minL = Math.min(minL, li[keep[t]]);
                minM = Math.min(minM, mi[keep[t]]);
                maxAbsL = Math.max(maxAbsL, Math.abs(li[keep[t]]));
                maxAbsM = Math.max(maxAbsM, Math.abs(mi[keep[t]]));
                maxAbsC = Math.max(maxAbsC, Math.abs(ci[keep[t]]));
            }
            for (int t = 0; t < keep.length; t++) {
                l[i][t] = li[keep[t]] - minL;
                m[i][t] = mi[keep[t]] - minM;
            }
            latencyShift += minL;
            memoryShift += minM;
            latencyMagnitude += maxAbsL;
            memoryMagnitude += maxAbsM;
            scale += maxAbsC;
        }
        costScale = scale;
        latencyRoom = room(p.latencyBudget(), latencyShift, latencyMagnitude);
        memoryRoom = room(p.memoryBudget(), memoryShift, memoryMagnitude);

        double[] prices = feasibleRoot() ? LagrangeMultipliers.solve(c, l, m, sortedBy(l), latencyRoom, memoryRoom)
                : new double[] {0, 0};
        mu = prices[0];
        nu = prices[1];

        // branching order: widest spread of cost first
        double[] spread = new double[n];
        int[] byBlock = new int[n];
        for (int i = 0; i < n; i++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double x : c[i]) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
            spread[i] = -(hi - lo);
            byBlock[i] = i;
        }
        IndexSort.byKey(byBlock, n, spread, new int[n]);
        block = byBlock;
        option = new int[n][];
        cost = new double[n][];
        latency = new double[n][];
        memory = new double[n][];
        for (int d = 0; d < n; d++) {
            int i = block[d];
            int k = c[i].length;
            double[] key = new double[k];
            int[] pos = new int[k];
            for (int t = 0; t < k; t++) {
                key[t] = lagrangian(c[i][t], l[i][t], m[i][t]);
                pos[t] = t;
            }
            IndexSort.byKey(pos, k, key, new int[k]);
            option[d] = new int[k];
            cost[d] = new double[k];
            latency[d] = new double[k];
            memory[d] = new double[k];
            for (int t = 0; t < k; t++) {
                option[d][t] = kept[i][pos[t]];
                cost[d][t] = c[i][pos[t]];
                latency[d][t] = l[i][pos[t]];
                memory[d][t] = m[i][pos[t]];
            }
        }
        byLatency = sortedBy(latency);
        byMemory = sortedBy(memory);
    }

    /** The number of blocks. */
    int depths() {
        return block.length;
    }

    /** Whether the lightest completion of the whole problem fits each budget on its own. */
    boolean feasibleRoot() {
        return latencyRoom >= 0 && memoryRoom >= 0;
    }

    /** An option's Lagrangian cost at the root prices. */
    double lagrangian(double c, double l, double m) {
        return c + (mu == 0 ? 0 : mu * l) + (nu == 0 ? 0 : nu * m);
    }

    /** Original option index per block, from trial positions per depth. */
    int[] toChoice(int[] positions) {
        int[] choice = new int[block.length];
        for (int d = 0; d < block.length; d++) {
            choice[block[d]] = option[d][positions[d]];
        }
        return choice;
    }

    private static double room(double budget, double shift, double magnitude) {
        if (budget == Double.POSITIVE_INFINITY) {
            return Double.POSITIVE_INFINITY;
        }
        return budget + ScalingProblem.slack(budget) - shift + 1e-12 * (magnitude + Math.abs(budget));
    }

    private static int[][] sortedBy(double[][] v) {
        int[][] out = new int[v.length][];
        for (int d = 0; d < v.length; d++) {
            int k = v[d].length;
            out[d] = new int[k];
            for (int t = 0; t < k; t++) {
                out[d][t] = t;
            }
            IndexSort.byKey(out[d], k, v[d], new int[k]);
        }
        return out;
    }
}
