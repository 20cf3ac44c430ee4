package org.legodnn.core.optimize;

/**
 * LegoDNN's run-time optimizer: the exact optimum of a {@link ScalingProblem}, or a proof that no composition
 * meets the budgets, fast enough to re-solve whenever the budgets change (well under a millisecond for 20
 * blocks of 5 options), without an external solver.
 *
 * <p>A depth-first branch and bound over the blocks of a {@link PreparedProblem} (dominated options dropped,
 * values shifted, blocks and options in a good order). Each node fixes one more block; a child is discarded
 * when the cheapest completion cannot fit either budget on its own (its room went negative), when the LP
 * relaxation proves that no completion fits both, or when its cost so far plus the {@link LpBound} reaches
 * the best composition found (less a tolerance of 1e-13 of the objective's scale); after 2048 nodes the
 * bound is strengthened with more prices ({@link LpBound#strengthen()}). The search starts from
 * {@link GreedyIncumbent}'s composition. Leaves are checked with {@link ScalingProblem#feasible} and
 * {@link ScalingProblem#objectiveOf}, so the answer is judged exactly as the tests' brute-force oracle judges.
 *
 * <p>Limits ({@link Limits}): the search stops after a number of nodes or milliseconds (by default
 * {@value Limits#DEFAULT_MILLIS} ms, which no real store comes near) and answers with the best composition found,
 * marked not optimal, with its proven {@link Selection#gap() gap} to the root's LP bound: crafted or huge instances
 * cost time, never a hang.
 *
 * <p>Ties: options are tried in a fixed order, the first composition found at the optimal objective is kept,
 * and a final pass moves each block (in block order) to its lowest-index option that keeps the objective no
 * worse and the budgets met — so among equally good compositions the less pruned ones are preferred and the
 * answer is reproducible.
 */
public final class BranchAndBound {

    private static final double TOLERANCE = 1e-13;
    /** Nodes after which the search asks for more Lagrangian bounds ({@link LpBound#strengthen()}). */
    private static final long STRENGTHEN_AFTER = 2048;

    /**
     * When a search stops: after {@code nodes} nodes or {@code millis} milliseconds, whichever comes first.
     *
     * @param nodes  the most nodes to explore (at least 1)
     * @param millis the most wall time, milliseconds (positive)
     */
    public record Limits(long nodes, double millis) {

        /** The default time limit, milliseconds. */
        public static final double DEFAULT_MILLIS = 10_000;

        /** No node limit, {@value #DEFAULT_MILLIS} ms. */
        public static final Limits DEFAULT = new Limits(Long.MAX_VALUE, DEFAULT_MILLIS);

        public Limits {
            if (nodes < 1 || !(millis > 0)) {
                throw new IllegalArgumentException("BranchAndBound: limits of " + nodes + " nodes and " + millis
                        + " ms; expected >= 1 node and a positive time");
            }
        }
    }

    /** How often (in nodes) the clock is read. */
    private static final long CLOCK_EVERY = 1024;

    private final PreparedProblem p;
    private final LpBound bound;
    private final long nodeLimit;
    private final long deadline;
    private final int[] positions;
    private final double tolerance;
    private int[] best;
    private double bestObjective = Double.POSITIVE_INFINITY;
    private long nodes;
    private boolean aborted;

    private BranchAndBound(PreparedProblem p, Limits limits) {
        this.p = p;
        this.bound = new LpBound(p);
        this.nodeLimit = limits.nodes();
        long budget = (long) Math.min(Long.MAX_VALUE / 4.0, limits.millis() * 1e6);
        this.deadline = System.nanoTime() + budget;
        this.positions = new int[p.depths()];
        this.tolerance = TOLERANCE * Math.max(p.costScale, Double.MIN_NORMAL);
    }

    /** The optimal composition, or a proven-infeasible answer, within the default {@link Limits}. */
    public static Selection solve(ScalingProblem problem) {
        return solve(problem, Limits.DEFAULT);
    }

    /**
     * As {@link #solve(ScalingProblem)}, but stops after {@code nodeLimit} nodes; the answer is then the best
     * composition found, marked not {@link Selection#optimal() optimal}, with its gap.
     */
    public static Selection solve(ScalingProblem problem, long nodeLimit) {
        if (nodeLimit < 1) {
            throw new IllegalArgumentException("BranchAndBound: nodeLimit " + nodeLimit + "; expected >= 1");
        }
        return solve(problem, new Limits(nodeLimit, Limits.DEFAULT_MILLIS));
    }

    /** As {@link #solve(ScalingProblem)} within {@code limits}. */
    public static Selection solve(ScalingProblem problem, Limits limits) {
        PreparedProblem p = new PreparedProblem(problem);
        if (!p.feasibleRoot()) {
            return Selection.infeasible(true, 0);
        }
        return new BranchAndBound(p, limits).run();
    }

    private Selection run() {
        ScalingProblem src = p.source;
        double rootBound = bound.lower(0, p.latencyRoom, p.memoryRoom, Double.POSITIVE_INFINITY);
        if (rootBound == Double.POSITIVE_INFINITY) {
            return Selection.infeasible(true, 1);
        }
        int[] greedy = GreedyIncumbent.find(p);
        if (greedy != null) {
            offer(greedy);
        }
        search(0, 0, p.latencyRoom, p.memoryRoom);
        if (best == null) {
            return Selection.infeasible(!aborted, nodes);
        }
        int[] choice = p.toChoice(best);
        polish(src, choice);
        Selection s = src.evaluate(choice, !aborted, nodes);
        return aborted ? s.withGap(Math.max(0, s.objective() - rootBound)) : s;
    }

    private void search(int d, double costSoFar, double latencyRoom, double memoryRoom) {
        nodes++;
        if (nodes > nodeLimit || (nodes % CLOCK_EVERY == 0 && System.nanoTime() - deadline > 0)) {
            aborted = true;
            return;
        }
        if (nodes == STRENGTHEN_AFTER) {
            bound.strengthen();
        }
        if (d == positions.length) {
            offer(positions);
            return;
        }
        double[] c = p.cost[d];
        double[] l = p.latency[d];
        double[] m = p.memory[d];
        for (int t = 0; t < c.length && !aborted; t++) {
            double lr = latencyRoom - l[t];
            double mr = memoryRoom - m[t];
            if (lr < 0 || mr < 0) {
                continue;
            }
            double cost = costSoFar + c[t];
            double cutoff = bestObjective - tolerance - cost;
            if (bound.lower(d + 1, lr, mr, cutoff) >= cutoff) {
                continue;
            }
            positions[d] = t;
            search(d + 1, cost, lr, mr);
        }
    }

    /** Keeps a complete composition if it fits the budgets exactly as the problem defines and beats the best. */
    private void offer(int[] pos) {
        int[] choice = p.toChoice(pos);
        ScalingProblem src = p.source;
        if (!src.feasible(choice)) {
            return;
        }
        double objective = src.objectiveOf(choice);
        if (objective < bestObjective) {
            bestObjective = objective;
            best = pos.clone();
        }
    }

    /** Moves each block to its lowest-index option that keeps the objective no worse and the budgets met. */
    static void polish(ScalingProblem src, int[] choice) {
        double objective = src.objectiveOf(choice);
        for (int i = 0; i < choice.length; i++) {
            int was = choice[i];
            for (int j = 0; j < was; j++) {
                choice[i] = j;
                double o = src.objectiveOf(choice);
                if (o <= objective && src.feasible(choice)) {
                    objective = o;
                    break;
                }
                choice[i] = was;
            }
        }
    }
}
