package org.legodnn.core.optimize;

/**
 * What LegoDNN does when no composition meets the budgets: rather than fail, it loosens the budgets step by
 * step — memory first, then latency — and runs the best composition under the first budgets that can be
 * met, so a device that asked for too little still gets the smallest, fastest model that works.
 *
 * <p>The exact steps:
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
 * composition's value, or 1 if that is 0 too. {@link RelaxedSelection#steps()} counts the budgets solved.
 */
public final class Relaxation {

    /** The step, as a fraction of the original model's memory or latency. */
    public static final double STEP = 0.05;

    private Relaxation() {
    }

    /** Solves {@code p}, loosening its budgets as above until a composition fits. */
    public static RelaxedSelection solve(ScalingProblem p) {
        Selection s = BranchAndBound.solve(p);
        double latency = p.latencyBudget();
        double memory = p.memoryBudget();
        if (s.feasible()) {
            return new RelaxedSelection(s, latency, memory, false, 0);
        }
        int[] original = new int[p.blocks()];
        int steps = 0;
        double maxMemory = p.maxMemory();
        double stepM = step(p.memoryOf(original), maxMemory);
        long k = skip(memory, p.minMemory(), stepM);
        while (memory < maxMemory) {
            memory = Math.min(p.memoryBudget() + k * stepM, maxMemory);
            k++;
            steps++;
            s = BranchAndBound.solve(p.withBudgets(latency, memory));
            if (s.feasible()) {
                return new RelaxedSelection(s, latency, memory, true, steps);
            }
        }
        double maxLatency = p.maxLatency();
        double stepL = step(p.latencyOf(original), maxLatency);
        k = skip(latency, p.minLatency(), stepL);
        while (latency < maxLatency) {
            latency = Math.min(p.latencyBudget() + k * stepL, maxLatency);
            k++;
            steps++;
            s = BranchAndBound.solve(p.withBudgets(latency, memory));
            if (s.feasible()) {
                return new RelaxedSelection(s, latency, memory, true, steps);
            }
        }
        return new RelaxedSelection(s, latency, memory, true, steps);
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
