package org.legodnn.core.optimize;

/**
 * A lower bound on what completing a partial composition costs, because branch and bound prunes every
 * subtree whose bound reaches the best composition found; the tighter and cheaper the bound, the faster the
 * search.
 *
 * <p>The bound is the LP relaxation of the two-constraint problem, approached from both sides by Lagrangian
 * relaxation at the root's optimal prices (μ*, ν*) from {@link LagrangeMultipliers}. Pricing memory at ν*
 * leaves a one-constraint LP in latency whose exact value is tabulated per depth ({@link HullValueFunction}),
 * so {@code V(latencyRoom) − ν*·memoryRoom} is a valid bound (it would be for any ν ≥ 0); likewise with
 * latency priced at μ* and memory exact. At the root both equal the LP optimum; deeper down, each stays
 * exact in one resource, and the larger is used. A third table, the LP's least latency for the memory room,
 * proves a subtree infeasible when even the relaxation cannot meet both budgets at once.
 *
 * <p>Deep in a long search the optimal prices drift from the root's; {@link #strengthen()} then adds the
 * same two bounds at half and twice the root prices. That roughly halves the nodes of the hardest 50×10
 * instances but costs more set-up than most searches take, so the search calls it only once it has run
 * long ({@link BranchAndBound}).
 */
final class LpBound {

    /** Multiples of the root prices that {@link #strengthen()} adds. */
    private static final double[] MORE_PRICES = {0.5, 2.0};

    private final PreparedProblem p;
    private final HullValueFunction leastLatency;
    /** Latency-exact tables, memory priced at {@link #memoryPrices}. */
    private HullValueFunction[] latencyExact;
    private double[] memoryPrices;
    /** Memory-exact tables, latency priced at {@link #latencyPrices}. */
    private HullValueFunction[] memoryExact;
    private double[] latencyPrices;

    LpBound(PreparedProblem p) {
        this.p = p;
        leastLatency = new HullValueFunction(p.latency, p.memory, p.byMemory);
        memoryPrices = new double[] {p.nu};
        latencyPrices = new double[] {p.mu};
        latencyExact = new HullValueFunction[] {latencyExact(p.nu)};
        memoryExact = new HullValueFunction[] {memoryExact(p.mu)};
    }

    /**
     * A lower bound on the cost of depths {@code d..} with the rooms left; {@code +∞} when no completion can
     * fit. Returns as soon as the bound reaches {@code cutoff} (the caller prunes then), so the value is exact
     * only below it.
     */
    double lower(int d, double latencyRoom, double memoryRoom, double cutoff) {
        if (leastLatency.value(d, memoryRoom) > latencyRoom) {
            return Double.POSITIVE_INFINITY;
        }
        double best = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < latencyExact.length && best < cutoff; k++) {
            double nu = memoryPrices[k];
            best = Math.max(best, latencyExact[k].value(d, latencyRoom) - (nu == 0 ? 0 : nu * memoryRoom));
            double mu = latencyPrices[k];
            best = Math.max(best, memoryExact[k].value(d, memoryRoom) - (mu == 0 ? 0 : mu * latencyRoom));
        }
        return best;
    }

    /** Adds the bounds at {@link #MORE_PRICES} times the root prices (once; later calls do nothing). */
    void strengthen() {
        if (latencyExact.length > 1 || (p.mu == 0 && p.nu == 0)) {
            return;
        }
        int n = 1 + MORE_PRICES.length;
        memoryPrices = java.util.Arrays.copyOf(memoryPrices, n);
        latencyPrices = java.util.Arrays.copyOf(latencyPrices, n);
        latencyExact = java.util.Arrays.copyOf(latencyExact, n);
        memoryExact = java.util.Arrays.copyOf(memoryExact, n);
        for (int k = 1; k < n; k++) {
            memoryPrices[k] = MORE_PRICES[k - 1] * p.nu;
            latencyPrices[k] = MORE_PRICES[k - 1] * p.mu;
            latencyExact[k] = latencyExact(memoryPrices[k]);
            memoryExact[k] = memoryExact(latencyPrices[k]);
        }
    }

    private HullValueFunction latencyExact(double nu) {
        return new HullValueFunction(priced(p.cost, p.memory, nu), p.latency, p.byLatency);
    }

    private HullValueFunction memoryExact(double mu) {
        return new HullValueFunction(priced(p.cost, p.latency, mu), p.memory, p.byMemory);
    }

    private static double[][] priced(double[][] cost, double[][] other, double price) {
        double[][] out = new double[cost.length][];
        for (int d = 0; d < cost.length; d++) {
            out[d] = new double[cost[d].length];
            for (int t = 0; t < cost[d].length; t++) {
                out[d][t] = price == 0 ? cost[d][t] : cost[d][t] + price * other[d][t];
            }
        }
        return out;
    }
}
