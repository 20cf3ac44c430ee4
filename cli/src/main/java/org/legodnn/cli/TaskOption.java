package org.legodnn.cli;

import org.legodnn.nn.data.DataCatalog;
import org.legodnn.nn.data.Targets;
import org.legodnn.nn.task.Classification;
import org.legodnn.nn.task.Task;
import org.legodnn.nn.task.Tasks;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The {@code --task} option, one definition for every command that works on more than classification (train
 * and eval now; offline, optimize, series, export and demo take the same mixin when their stores record the
 * task), so that the name, the default, the data set that goes with it and the errors are the same everywhere.
 * Without {@code --task} a command does exactly what it did before tasks existed: classification, with its
 * output unchanged.
 */
final class TaskOption {

    @Option(names = "--task", paramLabel = "TASK", description = "classification (the default: top-1),"
            + " segmentation (mIoU; with a model whose output is [N, classes, H, W]: unet, deeplabv3_resnet18 or"
            + " fcn_resnet18, on fashion-mnist-seg) or detection (mAP50, with mAP 0.5:0.95; yolov3_resnet18 on"
            + " mnist-det); the task's data set is used when --task is given without --dataset.")
    String name;

    /** Whether the user named a task. */
    boolean given() {
        return name != null;
    }

    /** The task named, or classification; a usage error for an unknown name. */
    Task task(CommandSpec spec) {
        if (name == null) {
            return Classification.TASK;
        }
        try {
            return Tasks.named(name);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--task: " + e.getMessage());
        }
    }

    /**
     * The data set to use: {@code dataset} when given, else the task's own when a task was named; without
     * either, the usage error picocli gives for a missing required option. Also a usage error when the data set
     * is unknown or not labelled as the task needs.
     */
    String dataset(String dataset, CommandSpec spec) {
        Task task = task(spec);
        String d = dataset != null ? dataset : given() ? task.defaultDataset() : null;
        if (d == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--dataset=NAME'");
        }
        if (!DataCatalog.names().contains(d)) {
            throw new ParameterException(spec.commandLine(), "--dataset: unknown data set '" + d + "' (known: "
                    + String.join(", ", DataCatalog.names()) + ")");
        }
        Targets.Kind kind = DataCatalog.targetKind(d);
        if (kind != task.targets()) {
            String hint = Tasks.forTargets(kind).map(t -> "use --task " + t.name())
                    .orElse("no built-in task takes " + kind.describe() + " yet");
            throw new ParameterException(spec.commandLine(), "--dataset " + d + " is labelled with " + kind.describe()
                    + ", but task " + task.name() + " needs " + task.targets().describe() + " (" + hint + ")");
        }
        return d;
    }
}
