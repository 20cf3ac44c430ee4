package org.legodnn.core.optimize;

/**
 * What LegoDNN does when no composition meets the budgets: rather than fail, it loosens the budgets that its
 * {@link RelaxPolicy} allows step by step and runs the best composition under the first budgets that can be met,
 * so a device that asked for too little still gets a model that works within the limit that must hold.
 *
 * <p>The steps of {@link RelaxPolicy#MEMORY} (the original LegoDNN's order); {@link RelaxPolicy#LATENCY} runs
 * step 3 alone with the memory budget fixed, {@link RelaxPolicy#BOTH} raises both budgets by one step each per
 * solve, {@link RelaxPolicy#NONE} stops after step 1:
 * <ol>
 *   <li>Solve with the budgets asked for; if a composition fits, return it with {@code relaxed = false}.</li>
 *   <li>Memory: with the latency budget unchanged, try memory budgets {@code M + k·ΔM}, k = 1, 2, …, where
 *       ΔM is {@value #STEP} of the original model's memory (option 0 in every block), each capped at the
 *       memory of the largest composition; stop at the first that is feasible. Steps whose budget is still
 *       below the smallest composition's memory cannot succeed and are skipped (the same answer, fewer
 *       solves). After the step that reached the largest composition's memory, memory no longer constrains.</li>
 *   <li>Latency: with memory at that final budget, try latency budgets {@code L + k·ΔL} likewise, ΔL being
 *       {@value #STEP} of the original model's latency, capped at the latency of the slowest composition.
 *       At that cap every composition fits, so this phase always ends with a composition.</li>
 * </ol>
 * A step of 0 (an original model of zero size or latency) becomes {@value #STEP} of the largest
 * composition's value, or 1 if that is 0 too. {@link RelaxedSelection#steps()} counts the budgets solved. When
 * the policy's budgets reach their caps and still nothing fits (the memory budget is below the smallest
 * composition, under {@link RelaxPolicy#LATENCY}), the result is infeasible.
 */
public final class Relaxation {

    /** The step, as a fraction of the original model's memory or latency. */
    public static final double STEP = 0.05;

    private Relaxation() {
    }

    /** Solves {@code p} as the original LegoDNN does: memory loosened first, then latency ({@link RelaxPolicy#MEMORY}). */
    public static RelaxedSelection solve(ScalingProblem p) {
        return solve(p, RelaxPolicy.MEMORY);
    }

    /** Solves {@code p}, loosening the budgets that {@code policy} allows, as above, until a composition fits. */
    public static RelaxedSelection solve(ScalingProblem p, RelaxPolicy policy) {
        return solve(p, policy, BranchAndBound.Limits.DEFAULT);
    }

    /**
     * As {@link #solve(ScalingProblem, RelaxPolicy)}, all solves together within {@code limits}' time (each also
     * within its node limit): when time runs out, later solves answer with what they find at once.
     */
    public static RelaxedSelection solve(ScalingProblem p, RelaxPolicy policy, BranchAndBound.Limits limits) {
        Solver solver = new Solver(limits);
        Selection s = solver.solve(p);
        if (s.feasible() || policy == RelaxPolicy.NONE) {
            return new RelaxedSelection(s, p.latencyBudget(), p.memoryBudget(), false, 0);
        }
        if (policy == RelaxPolicy.LATENCY && p.memoryBudget() < p.minMemory()) {
            return new RelaxedSelection(s, p.latencyBudget(), p.memoryBudget(), false, 0); // no latency helps
        }
        int[] original = new int[p.blocks()];
        Axis memory = new Axis(p.memoryBudget(), p.minMemory(), p.maxMemory(), step(p.memoryOf(original), p.maxMemory()));
        Axis latency = new Axis(p.latencyBudget(), p.minLatency(), p.maxLatency(),
                step(p.latencyOf(original), p.maxLatency()));
        int steps = 0;
        if (policy == RelaxPolicy.BOTH) {
            long k = Math.max(memory.firstUsefulStep(), latency.firstUsefulStep());
            while (!memory.capped() || !latency.capped()) {
                memory.raise(k);
                latency.raise(k);
                k++;
                steps++;
                s = solver.solve(p.withBudgets(latency.budget, memory.budget));
                if (s.feasible()) {
                    return new RelaxedSelection(s, latency.budget, memory.budget, true, steps);
                }
            }
            return new RelaxedSelection(s, latency.budget, memory.budget, true, steps);
        }
        if (policy == RelaxPolicy.MEMORY) {
            for (long k = memory.firstUsefulStep(); !memory.capped(); k++) {
                memory.raise(k);
                steps++;
                s = solver.solve(p.withBudgets(latency.budget, memory.budget));
                if (s.feasible()) {
                    return new RelaxedSelection(s, latency.budget, memory.budget, true, steps);
                }
            }
        }
        for (long k = latency.firstUsefulStep(); !latency.capped(); k++) {
            latency.raise(k);
            steps++;
            s = solver.solve(p.withBudgets(latency.budget, memory.budget));
            if (s.feasible()) {
                return new RelaxedSelection(s, latency.budget, memory.budget, true, steps);
            }
        }
        return new RelaxedSelection(s, latency.budget, memory.budget, steps > 0, steps);
    }

    /** Branch and bound within what is left of one time limit. */
    private static final class Solver {
        private final BranchAndBound.Limits limits;
        private final long deadline;

        Solver(BranchAndBound.Limits limits) {
            this.limits = limits;
            this.deadline = System.nanoTime() + (long) Math.min(Long.MAX_VALUE / 4.0, limits.millis() * 1e6);
        }

        Selection solve(ScalingProblem q) {
            double left = Math.max(1e-3, (deadline - System.nanoTime()) / 1e6);
            return BranchAndBound.solve(q, new BranchAndBound.Limits(limits.nodes(), left));
        }
    }

    /** One budget being loosened: {@code asked + k·step}, capped at the largest composition's value. */
    private static final class Axis {
        private final double asked;
        private final double smallest;
        private final double cap;
        private final double step;
        private double budget;

        Axis(double asked, double smallest, double cap, double step) {
            this.asked = asked;
            this.smallest = smallest;
            this.cap = cap;
            this.step = step;
            this.budget = asked;
        }

        /** Whether the budget no longer constrains: it has reached the largest composition's value. */
        boolean capped() {
            return budget >= cap;
        }

        void raise(long k) {
            budget = Math.min(asked + k * step, Math.max(cap, asked));
        }

        /** The first k ≥ 1 whose budget reaches the smallest composition's value (lower ones cannot succeed). */
        long firstUsefulStep() {
            return skip(asked, smallest, step);
        }
    }

    /** {@value #STEP} of the original's value, or of the largest composition's, or 1. */
    private static double step(double original, double largest) {
        double s = STEP * Math.abs(original);
        if (s > 0) {
            return s;
        }
        s = STEP * Math.abs(largest);
        return s > 0 ? s : 1;
    }

    /** The first k ≥ 1 whose budget {@code budget + k·step} reaches {@code smallest} (steps below it cannot succeed). */
    private static long skip(double budget, double smallest, double step) {
        if (budget + step >= smallest) {
            return 1;
        }
        return Math.max(1, (long) Math.ceil((smallest - budget) / step));
    }
}
