package org.legodnn.nn.schedule;

/**
 * A linear ramp before another schedule, which keeps the first steps of large-batch training stable; as
 * {@code SequentialLR([LinearLR(start_factor, 1, warmupSteps), after], milestones=[warmupSteps])}:
 * lr(t) = after.lr(0) · (startFactor + (1 − startFactor) · t / warmupSteps) for t < warmupSteps, and
 * after.lr(t − warmupSteps) from then on.
 */
public record LinearWarmup(int warmupSteps, double startFactor, LrSchedule after) implements LrSchedule {

    public LinearWarmup {
        if (warmupSteps < 0 || !(startFactor >= 0 && startFactor <= 1) || after == null) {
            throw new IllegalArgumentException("LinearWarmup: warm-up steps " + warmupSteps + ", start factor "
                    + startFactor + " (expected steps >= 0, start factor in [0, 1], a following schedule)");
        }
    }

    @Override
    public double lr(int t) {
        if (t < warmupSteps) {
            double factor = startFactor + (1.0 - startFactor) * Math.max(t, 0) / warmupSteps;
            return after.lr(0) * factor;
        }
        return after.lr(t - warmupSteps);
    }
}
