package org.legodnn.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.legodnn.core.optimize.BranchAndBound;
import org.legodnn.core.optimize.ScalingProblem;
import org.legodnn.core.optimize.Selection;
import org.legodnn.report.TradeoffPoint;

/**
 * Chooses the budgets the demo asks for and the compositions its plot shows, both from the selection problem
 * itself, so the sweep spans exactly what this model on this machine can do: from the fastest (or smallest)
 * composition to the original.
 */
public final class BudgetSweep {

    /** One pair of budgets; +∞ where a budget does not constrain. */
    public record Budget(String label, double latencyMs, double memoryBytes) {
    }

    private BudgetSweep() {
    }

    /**
     * {@code latencySteps} latency budgets spread from just above the fastest composition to the original's
     * latency (memory free), {@code memorySteps} memory budgets likewise (latency free), and one budget on
     * both at their middles.
     *
     * @param free the problem without budgets
     */
    public static List<Budget> plan(ScalingProblem free, int latencySteps, int memorySteps) {
        int[] original = new int[free.blocks()];
        double lo = free.minLatency();
        double hi = free.latencyOf(original);
        double mlo = free.minMemory();
        double mhi = free.memoryOf(original);
        List<Budget> out = new ArrayList<>();
        for (int k = 0; k < latencySteps; k++) {
            double l = lo + (hi - lo) * (k + 1) / latencySteps;
            out.add(new Budget("latency " + (k + 1) + "/" + latencySteps, l, Double.POSITIVE_INFINITY));
        }
        for (int k = 0; k < memorySteps; k++) {
            double m = mlo + (mhi - mlo) * (k + 1) / memorySteps;
            out.add(new Budget("memory " + (k + 1) + "/" + memorySteps, Double.POSITIVE_INFINITY, m));
        }
        out.add(new Budget("both at 1/2", (lo + hi) / 2, (mlo + mhi) / 2));
        return out;
    }

    /**
     * The estimates of {@code samples} random compositions and of the optimal compositions for
     * {@code frontSteps} latency budgets and as many memory budgets: the plot's cloud and its front.
     *
     * @param teacherAccuracy the accuracy the drops are taken from
     */
    public static List<TradeoffPoint> tradeoffs(ScalingProblem free, double teacherAccuracy, int samples,
                                                int frontSteps, long seed) {
        List<TradeoffPoint> out = new ArrayList<>();
        Random rnd = new Random(seed);
        for (int k = 0; k < samples; k++) {
            int[] c = new int[free.blocks()];
            for (int i = 0; i < c.length; i++) {
                c[i] = rnd.nextInt(free.options(i));
            }
            out.add(point(free, c, teacherAccuracy));
        }
        int[] original = new int[free.blocks()];
        for (int k = 0; k <= frontSteps; k++) {
            double l = free.minLatency() + (free.latencyOf(original) - free.minLatency()) * k / frontSteps;
            double m = free.minMemory() + (free.memoryOf(original) - free.minMemory()) * k / frontSteps;
            for (ScalingProblem p : List.of(free.withBudgets(l, Double.POSITIVE_INFINITY),
                    free.withBudgets(Double.POSITIVE_INFINITY, m))) {
                Selection s = BranchAndBound.solve(p);
                if (s.feasible()) {
                    out.add(point(free, s.choice(), teacherAccuracy));
                }
            }
        }
        return out;
    }

    /**
     * The estimated point of composition {@code c}. The additive estimate can fall below 0 for compositions
     * pruned everywhere; an accuracy cannot, so the point stops at 0.
     */
    public static TradeoffPoint point(ScalingProblem p, int[] c, double teacherAccuracy) {
        return TradeoffPoint.of(label(c), p.latencyOf(c), Math.round(p.memoryOf(c)),
                Math.max(0, teacherAccuracy - p.accuracyDropOf(c)));
    }

    /** A composition as its descendant indexes, e.g. {@code 0-2-4-0}. */
    public static String label(int[] c) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < c.length; i++) {
            b.append(i == 0 ? "" : "-").append(c[i]);
        }
        return b.toString();
    }
}
