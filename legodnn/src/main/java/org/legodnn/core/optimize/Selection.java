package org.legodnn.core.optimize;

import java.util.Arrays;

/**
 * What a solver answers, so that callers (the switcher, the CLI, the tests) read one shape whatever solved
 * it: the option chosen per block and that composition's numbers, or no composition when none meets the
 * budgets.
 *
 * @param choice       option index per block; {@code null} when no composition was found
 * @param objective    accuracy drop plus λ times switched bytes ({@code +∞} without a composition)
 * @param accuracyDrop the composition's total accuracy drop ({@code NaN} without one)
 * @param latency      its latency, frame included ({@code NaN} without one)
 * @param memory       its memory, frame included ({@code NaN} without one)
 * @param optimal      whether the answer is proven: the composition is optimal, or (without one) no composition
 *                     meets the budgets
 * @param nodes        search nodes explored (compositions enumerated, for brute force)
 * @param gap          how far the objective may be above the optimum, proven: 0 when optimal, the objective
 *                     less a lower bound when a limit stopped the search, {@code +∞} without a composition and
 *                     without a proof
 */
public record Selection(int[] choice, double objective, double accuracyDrop, double latency, double memory,
                        boolean optimal, long nodes, double gap) {

    public Selection {
        choice = choice == null ? null : choice.clone();
    }

    /** The answer when no composition meets the budgets; {@code proven} when the search was complete. */
    public static Selection infeasible(boolean proven, long nodes) {
        return new Selection(null, Double.POSITIVE_INFINITY, Double.NaN, Double.NaN, Double.NaN, proven, nodes,
                proven ? 0 : Double.POSITIVE_INFINITY);
    }

    /** This answer with its proven gap, for a search that a limit stopped. */
    public Selection withGap(double gap) {
        return new Selection(choice, objective, accuracyDrop, latency, memory, optimal, nodes, gap);
    }

    /** Whether a composition was found. */
    public boolean feasible() {
        return choice != null;
    }

    @Override
    public int[] choice() {
        return choice == null ? null : choice.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Selection s && Arrays.equals(choice, s.choice)
                && Double.compare(objective, s.objective) == 0 && optimal == s.optimal;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(choice) * 31 + Double.hashCode(objective);
    }

    @Override
    public String toString() {
        return feasible()
                ? "Selection[" + Arrays.toString(choice) + ", objective " + objective + ", drop " + accuracyDrop
                        + ", latency " + latency + ", memory " + memory + (optimal ? ", optimal" : ", not proven, gap " + gap)
                        + ", " + nodes + " nodes]"
                : "Selection[infeasible" + (optimal ? "" : " (not proven)") + ", " + nodes + " nodes]";
    }
}
