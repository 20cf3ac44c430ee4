package org.legodnn.core.optimize;

import org.ojalgo.optimisation.Expression;
import org.ojalgo.optimisation.ExpressionsBasedModel;
import org.ojalgo.optimisation.Optimisation;
import org.ojalgo.optimisation.Variable;
import org.ojalgo.optimisation.integer.IntegerStrategy;
import org.ojalgo.type.context.NumberContext;

/**
 * A {@link ScalingProblem} handed to ojAlgo's MIP solver, as a second opinion on {@link BranchAndBound}: binary
 * x[i][j], one per block, minimise Σ cost·x under the two budget rows (each scaled to order 1 so ojAlgo's
 * tolerances mean the same thing for milliseconds and bytes).
 */
final class OjAlgoSolver {

    /** ojAlgo's answer: the composition it chose ({@code null} when it found none) and its state. */
    record Answer(int[] choice, Optimisation.State state) {
    }

    private OjAlgoSolver() {
    }

    /**
     * ojAlgo's optimum; {@code abortMillis} > 0 lets it give up after that long (its answer is then a
     * composition not proven optimal, state not {@code OPTIMAL}).
     */
    static Answer solve(ScalingProblem p, long abortMillis) {
        ExpressionsBasedModel model = new ExpressionsBasedModel();
        if (abortMillis > 0) {
            model.options.time_abort = abortMillis;
        }
        model.options.integer(IntegerStrategy.DEFAULT.withGapTolerance(NumberContext.of(14, 14)).withParallelism(() -> 1));
        int n = p.blocks();
        Variable[][] x = new Variable[n][];
        double scaleL = 0;
        double scaleM = 0;
        for (int i = 0; i < n; i++) {
            double ml = 0;
            double mm = 0;
            for (int j = 0; j < p.options(i); j++) {
                ml = Math.max(ml, Math.abs(p.latency(i, j)));
                mm = Math.max(mm, Math.abs(p.memory(i, j)));
            }
            scaleL += ml;
            scaleM += mm;
        }
        scaleL = scaleL > 0 ? scaleL : 1;
        scaleM = scaleM > 0 ? scaleM : 1;
        Expression lat = model.addExpression("latency");
        Expression mem = model.addExpression("memory");
        for (int i = 0; i < n; i++) {
            Expression one = model.addExpression("block" + i).level(1);
            x[i] = new Variable[p.options(i)];
            for (int j = 0; j < p.options(i); j++) {
                Variable v = model.addVariable("x" + i + "_" + j).binary().weight(p.cost(i, j));
                x[i][j] = v;
                one.set(v, 1);
                lat.set(v, p.latency(i, j) / scaleL);
                mem.set(v, p.memory(i, j) / scaleM);
            }
        }
        if (Double.isFinite(p.latencyBudget())) {
            lat.upper((p.latencyBudget() - p.frameLatency()) / scaleL);
        }
        if (Double.isFinite(p.memoryBudget())) {
            mem.upper((p.memoryBudget() - p.frameMemory()) / scaleM);
        }
        Optimisation.Result r = model.minimise();
        if (!r.getState().isFeasible()) {
            return new Answer(null, r.getState());
        }
        int[] choice = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < x[i].length; j++) {
                if (x[i][j].getValue().doubleValue() > x[i][best].getValue().doubleValue()) {
                    best = j;
                }
            }
            choice[i] = best;
        }
        return new Answer(choice, r.getState());
    }

    /** The LP relaxation's optimal value (ojAlgo's simplex), or +∞ when the relaxation is infeasible. */
    static double lpValue(ScalingProblem p) {
        ExpressionsBasedModel model = new ExpressionsBasedModel();
        int n = p.blocks();
        double scaleL = 1;
        double scaleM = 1;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p.options(i); j++) {
                scaleL = Math.max(scaleL, Math.abs(p.latency(i, j)));
                scaleM = Math.max(scaleM, Math.abs(p.memory(i, j)));
            }
        }
        Expression lat = model.addExpression("latency");
        Expression mem = model.addExpression("memory");
        for (int i = 0; i < n; i++) {
            Expression one = model.addExpression("block" + i).level(1);
            for (int j = 0; j < p.options(i); j++) {
                Variable v = model.addVariable().lower(0).upper(1).weight(p.cost(i, j));
                one.set(v, 1);
                lat.set(v, p.latency(i, j) / scaleL);
                mem.set(v, p.memory(i, j) / scaleM);
            }
        }
        lat.upper((p.latencyBudget() - p.frameLatency()) / scaleL);
        mem.upper((p.memoryBudget() - p.frameMemory()) / scaleM);
        Optimisation.Result r = model.minimise();
        return r.getState().isFeasible() ? r.getValue() : Double.POSITIVE_INFINITY;
    }
}
