package org.legodnn.core.optimize;

/**
 * Finds the root LP relaxation's optimal prices of latency (μ) and memory (ν), because every Lagrangian
 * bound in the search, the order it branches in and the greedy start are built around them.
 *
 * <p>The two-constraint LP equals {@code max over ν ≥ 0} of the one-constraint LP with cost
 * {@code cost + ν·memory} under the latency room, minus {@code ν·memoryRoom}: a concave function of ν whose
 * supergradient is the memory the one-constraint optimum uses minus the room. So ν* is bracketed by
 * doubling and then found by a one-dimensional cutting-plane method (each one-constraint solve gives a line
 * above g; step to where the bracketing lines meet), and μ* is then the latency price of that
 * one-constraint optimum (the slope of its last, fractional hull segment). Approximate prices only weaken
 * bounds, never invalidate them: any μ, ν ≥ 0 give a valid lower bound.
 */
final class LagrangeMultipliers {

    private static final int BRACKET_STEPS = 64;
    private static final int CUTTING_STEPS = 40;

    private final double[][] cost;
    private final double[][] latency;
    private final double[][] memory;
    private final int[][] byLatency;
    private final double[][] priced;
    private final int[] hull;
    private final int[] segBlock;
    private final int[] segLeft;
    private final int[] segRight;
    private final double[] segSlope;
    private final int[] order;
    private final int[] tmp;

    private double price;
    private double memoryUsed;
    private double value;

    /** The prices {@code {μ, ν}} for the shifted problem (latency and memory rooms as given). */
    static double[] solve(double[][] cost, double[][] latency, double[][] memory, int[][] byLatency,
                          double latencyRoom, double memoryRoom) {
        return new LagrangeMultipliers(cost, latency, memory, byLatency).search(latencyRoom, memoryRoom);
    }

    private LagrangeMultipliers(double[][] cost, double[][] latency, double[][] memory, int[][] byLatency) {
        this.cost = cost;
        this.latency = latency;
        this.memory = memory;
        this.byLatency = byLatency;
        int total = 0;
        int widest = 1;
        priced = new double[cost.length][];
        for (int d = 0; d < cost.length; d++) {
            total += cost[d].length;
            widest = Math.max(widest, cost[d].length);
            priced[d] = new double[cost[d].length];
        }
        hull = new int[widest];
        segBlock = new int[total];
        segLeft = new int[total];
        segRight = new int[total];
        segSlope = new double[total];
        order = new int[total];
        tmp = new int[total];
    }

    private double[] search(double latencyRoom, double memoryRoom) {
        if (!lp(0, latencyRoom)) {
            return new double[] {0, 0};
        }
        if (memoryUsed <= memoryRoom) {
            return new double[] {price, 0};
        }
        // g(ν) = value − ν·room is concave; each evaluation also gives the line value + (used − room)·(ν' − ν)
        // that lies above g everywhere. Bracket the peak, then step to where the two bracketing lines meet
        // (a one-dimensional cutting-plane method, finite for piecewise-linear g).
        double lo = 0;
        double gLo = value;
        double sLo = memoryUsed - memoryRoom;
        double hi = scale();
        int steps = 0;
        while (lp(hi, latencyRoom) && memoryUsed > memoryRoom && steps++ < BRACKET_STEPS) {
            lo = hi;
            gLo = value - hi * memoryRoom;
            sLo = memoryUsed - memoryRoom;
            hi *= 4;
        }
        double gHi = value - hi * memoryRoom;
        double sHi = memoryUsed - memoryRoom;
        double bestNu = gHi >= gLo ? hi : lo;
        double bestG = Math.max(gHi, gLo);
        double bestPrice = price;
        if (gHi < gLo) {
            lp(lo, latencyRoom);
            bestPrice = price;
        }
        for (int t = 0; t < CUTTING_STEPS && sHi < 0 && sLo > 0; t++) {
            double nu = (gHi - gLo + sLo * lo - sHi * hi) / (sLo - sHi);
            if (!(nu > lo && nu < hi)) {
                break;
            }
            double upper = gLo + sLo * (nu - lo);
            lp(nu, latencyRoom);
            double g = value - nu * memoryRoom;
            double s = memoryUsed - memoryRoom;
            if (g > bestG) {
                bestG = g;
                bestNu = nu;
                bestPrice = price;
            }
            if (upper - g <= 1e-13 * (Math.abs(g) + Math.abs(upper)) || s == 0) {
                break;
            }
            if (s > 0) {
                lo = nu;
                gLo = g;
                sLo = s;
            } else {
                hi = nu;
                gHi = g;
                sHi = s;
            }
        }
        return new double[] {bestPrice, bestNu};
    }

    /** A first ν of the right magnitude: the spread of costs over the spread of memory. */
    private double scale() {
        double dc = 0;
        double dm = 0;
        for (int d = 0; d < cost.length; d++) {
            dc += spread(cost[d]);
            dm += spread(memory[d]);
        }
        return (dc > 0 ? dc : 1) / (dm > 0 ? dm : 1);
    }

    private static double spread(double[] v) {
        double lo = v[0];
        double hi = v[0];
        for (double x : v) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        return hi - lo;
    }

    /**
     * Solves min Σ (cost + ν·memory) subject to Σ latency ≤ room by the hull greedy; sets {@link #value},
     * {@link #price} (the latency price) and {@link #memoryUsed}. Returns false when even the fastest mix is
     * too slow.
     */
    private boolean lp(double nu, double room) {
        int s = 0;
        double lat = 0;
        double val = 0;
        double mem = 0;
        for (int d = 0; d < cost.length; d++) {
            double[] c = priced[d];
            for (int j = 0; j < c.length; j++) {
                c[j] = nu == 0 ? cost[d][j] : cost[d][j] + nu * memory[d][j];
            }
            int h = HullValueFunction.lowerHull(c, latency[d], byLatency[d], hull);
            int start = hull[h - 1];
            lat += latency[d][start];
            val += c[start];
            mem += memory[d][start];
            for (int t = h - 2; t >= 0; t--) {
                segBlock[s] = d;
                segLeft[s] = hull[t];
                segRight[s] = hull[t + 1];
                segSlope[s] = (c[hull[t]] - c[hull[t + 1]]) / (latency[d][hull[t + 1]] - latency[d][hull[t]]);
                order[s] = s;
                s++;
            }
        }
        price = 0;
        if (lat > room) {
            IndexSort.byKey(order, s, segSlope, tmp);
            int t = 0;
            for (; t < s && lat > room; t++) {
                int g = order[t];
                int d = segBlock[g];
                double dl = latency[d][segRight[g]] - latency[d][segLeft[g]];
                double f = Math.min(1.0, (lat - room) / dl);
                lat -= f * dl;
                val += f * (priced[d][segLeft[g]] - priced[d][segRight[g]]);
                mem += f * (memory[d][segLeft[g]] - memory[d][segRight[g]]);
                price = segSlope[g];
            }
            if (lat > room && t == s) {
                return false;
            }
        }
        value = val;
        memoryUsed = mem;
        return true;
    }
}
