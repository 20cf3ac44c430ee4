package org.legodnn.core.optimize;

/**
 * The optimal value of a one-constraint LP relaxation over the blocks from depth {@code d} on, as a function
 * of the room left, tabulated for every depth at once, because the search asks for it at every node and a
 * binary search in a table costs far less than solving an LP there.
 *
 * <p>The LP: minimise {@code Σ cost} subject to {@code Σ weight ≤ room}, one option per block, options allowed
 * to mix (the LP relaxation of a multiple-choice knapsack). Its optimum is greedy (Sinha and Zoltners, 1979):
 * start every block at its cheapest option, then walk down each block's lower convex hull in the
 * (weight, cost) plane, taking hull segments of all blocks in order of increasing cost per unit of weight
 * saved, until the room is met. The value is convex and piecewise linear in the room; per depth the table
 * holds the cumulative weight saved and cost added after each segment.
 */
final class HullValueFunction {

    private final double[] startWeight;
    private final double[] startCost;
    private final int[] offset;
    private final double[] cumWeight;
    private final double[] cumCost;
    private final double[] slope;

    /**
     * Tabulates the value function.
     *
     * @param cost     per depth, per option
     * @param weight   per depth, per option
     * @param byWeight per depth, the option indices in ascending weight (ties by index)
     */
    HullValueFunction(double[][] cost, double[][] weight, int[][] byWeight) {
        int n = cost.length;
        int total = 0;
        int widest = 1;
        for (double[] c : cost) {
            total += c.length;
            widest = Math.max(widest, c.length);
        }
        int[] hull = new int[widest];
        int[] segDepth = new int[total];
        double[] segWeight = new double[total];
        double[] segCost = new double[total];
        double[] segSlope = new double[total];
        startWeight = new double[n + 1];
        startCost = new double[n + 1];
        int s = 0;
        for (int d = 0; d < n; d++) {
            int h = lowerHull(cost[d], weight[d], byWeight[d], hull);
            int start = hull[h - 1];
            startWeight[d] = weight[d][start];
            startCost[d] = cost[d][start];
            for (int t = h - 2; t >= 0; t--) {
                int right = hull[t + 1];
                int left = hull[t];
                double dw = weight[d][right] - weight[d][left];
                double dc = cost[d][left] - cost[d][right];
                segDepth[s] = d;
                segWeight[s] = dw;
                segCost[s] = dc;
                segSlope[s] = dc / dw;
                s++;
            }
        }
        for (int d = n - 1; d >= 0; d--) { // suffix sums: depth d onwards
            startWeight[d] += startWeight[d + 1];
            startCost[d] += startCost[d + 1];
        }
        int[] order = new int[s];
        for (int t = 0; t < s; t++) {
            order[t] = t;
        }
        IndexSort.byKey(order, s, segSlope, new int[s]);
        int entries = 0;
        for (int t = 0; t < s; t++) {
            entries += segDepth[t] + 1;
        }
        offset = new int[n + 2]; // depth n (no blocks left) has an empty table
        cumWeight = new double[entries];
        cumCost = new double[entries];
        slope = new double[entries];
        int pos = 0;
        for (int d = 0; d < n; d++) {
            offset[d] = pos;
            double w = 0;
            double c = 0;
            for (int t = 0; t < s; t++) {
                int g = order[t];
                if (segDepth[g] >= d) {
                    w += segWeight[g];
                    c += segCost[g];
                    cumWeight[pos] = w;
                    cumCost[pos] = c;
                    slope[pos] = segSlope[g];
                    pos++;
                }
            }
        }
        offset[n] = pos;
        offset[n + 1] = pos;
    }

    /**
     * The LP's optimal cost over depths {@code d..} with {@code room} left, or {@code +∞} when even the
     * lightest mix does not fit.
     */
    double value(int d, double room) {
        double need = startWeight[d] - room;
        if (need <= 0) {
            return startCost[d];
        }
        int lo = offset[d];
        int hi = offset[d + 1];
        if (lo == hi || cumWeight[hi - 1] < need) {
            return Double.POSITIVE_INFINITY;
        }
        hi--;
        while (lo < hi) { // first entry whose cumulative saving covers the need
            int mid = (lo + hi) >>> 1;
            if (cumWeight[mid] >= need) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return startCost[d] + cumCost[lo] - (cumWeight[lo] - need) * slope[lo];
    }

    /**
     * The lower convex hull of one block's (weight, cost) points from its lightest point to its cheapest
     * (ties: lighter, then lower index), left to right, into {@code out}; returns how many points.
     */
    static int lowerHull(double[] cost, double[] weight, int[] byWeight, int[] out) {
        int start = 0;
        for (int j = 1; j < cost.length; j++) {
            if (cost[j] < cost[start] || (cost[j] == cost[start] && weight[j] < weight[start])) {
                start = j;
            }
        }
        double ws = weight[start];
        int h = 0;
        for (int p : byWeight) {
            if (weight[p] > ws) {
                break;
            }
            if (weight[p] == ws && p != start) {
                continue;
            }
            if (h > 0 && weight[out[h - 1]] == weight[p]) { // same weight: keep the cheaper
                if (cost[p] < cost[out[h - 1]]) {
                    h--;
                } else {
                    continue;
                }
            }
            while (h >= 2 && cross(out[h - 2], out[h - 1], p, cost, weight) <= 0) {
                h--;
            }
            out[h++] = p;
            if (p == start) {
                break;
            }
        }
        return h;
    }

    private static double cross(int o, int a, int b, double[] cost, double[] weight) {
        return (weight[a] - weight[o]) * (cost[b] - cost[o]) - (cost[a] - cost[o]) * (weight[b] - weight[o]);
    }
}
