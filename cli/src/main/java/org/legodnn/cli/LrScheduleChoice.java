package org.legodnn.cli;

import java.util.List;
import org.legodnn.nn.schedule.CosineAnnealingLR;
import org.legodnn.nn.schedule.LrSchedule;
import org.legodnn.nn.schedule.StepLR;
import org.legodnn.nn.train.Trainer;

/**
 * The learning-rate schedules that the training commands ({@code train}, {@code prune}'s fine-tuning) name with
 * {@code --schedule}, so that a name means the same schedule in every one of them.
 *
 * @param schedule the learning rate as a function of t, or null to keep the optimizer's
 * @param unit     what t counts
 */
record LrScheduleChoice(LrSchedule schedule, Trainer.ScheduleUnit unit) {

    /** The accepted names, as help texts and errors list them. */
    static final List<String> NAMES = List.of("cosine", "step", "none");

    /**
     * The schedule {@code name} for a run of {@code epochs} epochs of {@code steps} steps starting at {@code lr}:
     * cosine (per step, to 0 at the end), step (x0.1 every third of the epochs) or none.
     *
     * @throws IllegalArgumentException for any other name
     */
    static LrScheduleChoice of(String name, double lr, int epochs, int steps) {
        return switch (name) {
            case "cosine" -> new LrScheduleChoice(new CosineAnnealingLR(lr, epochs * steps, 0),
                    Trainer.ScheduleUnit.STEP);
            case "step" -> new LrScheduleChoice(new StepLR(lr, Math.max(1, (epochs + 2) / 3), 0.1),
                    Trainer.ScheduleUnit.EPOCH);
            case "none" -> new LrScheduleChoice(null, Trainer.ScheduleUnit.STEP);
            default -> throw new IllegalArgumentException("--schedule must be " + String.join(", ", NAMES)
                    + ", got '" + name + "'");
        };
    }
}
