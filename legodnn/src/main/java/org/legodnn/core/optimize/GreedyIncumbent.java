package org.legodnn.core.optimize;

/**
 * A good composition before the search starts, because branch and bound prunes against the best composition
 * known, and a good one from the outset prunes most of the tree.
 *
 * <p>Two starts: every block at its cheapest Lagrangian option (the root LP's prices; the first option in
 * trial order), and every block at its most accurate option. From each, a repair phase swaps single options
 * until both budgets hold, always taking the swap that adds least cost per unit of overshoot removed
 * (overshoot measured relative to each resource's spread), then an improvement phase takes the single swap
 * that lowers cost most while staying within budget, until none does. The cheaper result wins; ties keep
 * the first start. Either may fail on a tight problem: then the search starts without an incumbent.
 */
final class GreedyIncumbent {

    private GreedyIncumbent() {
    }

    /** Trial positions per depth of a composition within both rooms, or {@code null} if none was found. */
    static int[] find(PreparedProblem p) {
        int n = p.depths();
        int[] lagrangian = new int[n];
        int[] accurate = new int[n];
        for (int d = 0; d < n; d++) {
            int best = 0;
            for (int t = 1; t < p.cost[d].length; t++) {
                if (p.cost[d][t] < p.cost[d][best]) {
                    best = t;
                }
            }
            accurate[d] = best;
        }
        int[] bestChoice = null;
        double bestCost = Double.POSITIVE_INFINITY;
        for (int[] x : new int[][] {lagrangian, accurate}) {
            if (repair(p, x)) {
                improve(p, x);
                double c = cost(p, x);
                if (c < bestCost) {
                    bestCost = c;
                    bestChoice = x;
                }
            }
        }
        return bestChoice;
    }

    /** Swaps options until both rooms hold; false if it gets stuck. */
    static boolean repair(PreparedProblem p, int[] x) {
        int n = p.depths();
        double spreadL = spread(p.latency);
        double spreadM = spread(p.memory);
        double lat = 0;
        double mem = 0;
        for (int d = 0; d < n; d++) {
            lat += p.latency[d][x[d]];
            mem += p.memory[d][x[d]];
        }
        int limit = 4 * n * Math.max(1, widest(p)) + 4;
        for (int step = 0; step < limit; step++) {
            double excess = excess(lat, mem, p, spreadL, spreadM);
            if (excess == 0) {
                return true;
            }
            int bestD = -1;
            int bestT = -1;
            double bestScore = Double.POSITIVE_INFINITY;
            for (int d = 0; d < n; d++) {
                for (int t = 0; t < p.cost[d].length; t++) {
                    if (t == x[d]) {
                        continue;
                    }
                    double l2 = lat - p.latency[d][x[d]] + p.latency[d][t];
                    double m2 = mem - p.memory[d][x[d]] + p.memory[d][t];
                    double gain = excess - excess(l2, m2, p, spreadL, spreadM);
                    if (gain <= 0) {
                        continue;
                    }
                    double dc = p.cost[d][t] - p.cost[d][x[d]];
                    double score = dc <= 0 ? dc - 1 / gain : dc / gain; // free improvements first
                    if (score < bestScore) {
                        bestScore = score;
                        bestD = d;
                        bestT = t;
                    }
                }
            }
            if (bestD < 0) {
                return false;
            }
            lat += p.latency[bestD][bestT] - p.latency[bestD][x[bestD]];
            mem += p.memory[bestD][bestT] - p.memory[bestD][x[bestD]];
            x[bestD] = bestT;
        }
        return excess(lat, mem, p, spreadL, spreadM) == 0;
    }

    /** Takes the single swap that lowers cost most within the rooms, until none does. */
    static void improve(PreparedProblem p, int[] x) {
        int n = p.depths();
        double lat = 0;
        double mem = 0;
        for (int d = 0; d < n; d++) {
            lat += p.latency[d][x[d]];
            mem += p.memory[d][x[d]];
        }
        int limit = 4 * n * Math.max(1, widest(p)) + 4;
        for (int step = 0; step < limit; step++) {
            int bestD = -1;
            int bestT = -1;
            double bestGain = 0;
            for (int d = 0; d < n; d++) {
                for (int t = 0; t < p.cost[d].length; t++) {
                    double gain = p.cost[d][x[d]] - p.cost[d][t];
                    if (gain <= bestGain) {
                        continue;
                    }
                    double l2 = lat - p.latency[d][x[d]] + p.latency[d][t];
                    double m2 = mem - p.memory[d][x[d]] + p.memory[d][t];
                    if (l2 <= p.latencyRoom && m2 <= p.memoryRoom) {
                        bestGain = gain;
                        bestD = d;
                        bestT = t;
                    }
                }
            }
            if (bestD < 0) {
                return;
            }
            lat += p.latency[bestD][bestT] - p.latency[bestD][x[bestD]];
            mem += p.memory[bestD][bestT] - p.memory[bestD][x[bestD]];
            x[bestD] = bestT;
        }
    }

    static double cost(PreparedProblem p, int[] x) {
        double c = 0;
        for (int d = 0; d < x.length; d++) {
            c += p.cost[d][x[d]];
        }
        return c;
    }

    private static double excess(double lat, double mem, PreparedProblem p, double spreadL, double spreadM) {
        return Math.max(0, lat - p.latencyRoom) / spreadL + Math.max(0, mem - p.memoryRoom) / spreadM;
    }

    private static double spread(double[][] v) {
        double s = 0;
        for (double[] row : v) {
            double hi = 0;
            for (double x : row) {
                hi = Math.max(hi, x);
            }
            s += hi;
        }
        return s > 0 ? s : 1;
    }

    private static int widest(PreparedProblem p) {
        int w = 0;
        for (double[] row : p.cost) {
            w = Math.max(w, row.length);
        }
        return w;
    }
}
