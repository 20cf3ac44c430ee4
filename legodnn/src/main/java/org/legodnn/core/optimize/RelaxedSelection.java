package org.legodnn.core.optimize;

/**
 * What {@link Relaxation} answers: a selection together with the budgets it was finally solved under, so a
 * caller can tell (and report) that the budgets asked for could not be met.
 *
 * @param selection     the optimal composition under the budgets below (infeasible only if even the loosest
 *                      budgets failed, which cannot happen for a valid problem)
 * @param latencyBudget the latency budget the selection was solved under (the one asked for unless relaxed)
 * @param memoryBudget  the memory budget the selection was solved under
 * @param relaxed       whether either budget was raised
 * @param steps         how many relaxed budgets were solved (0 when the budgets asked for were met; steps that
 *                      {@link Relaxation} skips as certainly infeasible are not counted)
 */
public record RelaxedSelection(Selection selection, double latencyBudget, double memoryBudget, boolean relaxed,
                               int steps) {
}
