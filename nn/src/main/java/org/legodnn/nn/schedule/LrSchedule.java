package org.legodnn.nn.schedule;

import org.legodnn.nn.optim.Optimizer;

/**
 * A learning rate as a pure function of the step (or epoch) count, so that a schedule is testable against
 * its formula and composable ({@link LinearWarmup} wraps another). Each implementation gives the closed form
 * of the matching {@code torch.optim.lr_scheduler} class.
 */
public interface LrSchedule {

    /** The learning rate to use at step {@code t} (t = 0 is the first step). */
    double lr(int t);

    /** Sets {@code optimizer}'s learning rate to {@link #lr(int) lr(t)}; call it before step t. */
    default void apply(Optimizer optimizer, int t) {
        optimizer.setLr(lr(t));
    }
}
