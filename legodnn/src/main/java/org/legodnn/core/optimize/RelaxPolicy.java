package org.legodnn.core.optimize;

/**
 * Which budget LegoDNN may loosen when no composition meets both. On a device memory is the limit that kills the
 * process and latency the one that can bend, so the default loosens latency only; the original LegoDNN's order
 * (memory first, then latency) stays available. {@link Relaxation#solve(ScalingProblem, RelaxPolicy)} applies it.
 */
public enum RelaxPolicy {

    /** Loosen the latency budget only; the memory budget is never exceeded (the default). */
    LATENCY,
    /** The original LegoDNN's order: loosen memory first, then latency. */
    MEMORY,
    /** Loosen both budgets together, in equal steps of each. */
    BOTH,
    /** Loosen nothing: when no composition fits, there is no answer. */
    NONE;

    /** The default: memory is a hard limit. */
    public static final RelaxPolicy DEFAULT = LATENCY;
}
