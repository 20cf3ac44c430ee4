package org.legodnn.nn.task;

import java.util.List;

/**
 * The tasks the command line knows by name ({@code --task}), so that every command resolves and reports them
 * the same way. A program with a task of its own passes its {@link Task} object to {@code Trainer} and
 * {@code Evaluator} directly and needs no entry here.
 */
public final class Tasks {

    private static final List<Task> BUILT_IN = List.of(Classification.TASK, Segmentation.TASK, Detection.TASK,
            Pose.TASK, AnomalyDetection.TASK, ActionRecognition.TASK);

    private Tasks() {
    }

    /** The names {@link #named} accepts, in order. */
    public static List<String> names() {
        return BUILT_IN.stream().map(Task::name).toList();
    }

    /** The first built-in task whose data sets are labelled with {@code kind}, if any. */
    public static java.util.Optional<Task> forTargets(org.legodnn.nn.data.Targets.Kind kind) {
        return BUILT_IN.stream().filter(t -> t.targets() == kind).findFirst();
    }

    /** The task called {@code name}; throws {@link IllegalArgumentException} naming the known ones otherwise. */
    public static Task named(String name) {
        for (Task t : BUILT_IN) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown task '" + name + "' (known: " + String.join(", ", names()) + ")");
    }
}
