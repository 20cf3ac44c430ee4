package org.legodnn.cli;

import org.legodnn.nn.data.DataCatalog;
import org.legodnn.nn.data.Targets;
import org.legodnn.nn.task.Classification;
import org.legodnn.nn.task.Task;
import org.legodnn.nn.task.Tasks;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The {@code --task} option, one definition for every command that works on more than classification (train,
 * eval, offline and extract (through {@link TeacherOptions}) and demo; optimize, series and export read the task
 * the block store records), so that the name, the default, the data set that goes with it and the errors are the same everywhere.
 * Without {@code --task} a command does exactly what it did before tasks existed: classification, with its
 * output unchanged.
 */
final class TaskOption {

    @Option(names = "--task", paramLabel = "TASK", description = "classification (the default: top-1),"
            + " segmentation (mIoU; with a model whose output is [N, classes, H, W]: unet, deeplabv3_resnet18 or"
            + " fcn_resnet18, on fashion-mnist-seg) or detection (mAP50, with mAP 0.5:0.95; yolov3_resnet18 on"
            + " mnist-det), pose (PCK@0.1, with mean pixel error; heatmaps [N, keypoints, H, W] on"
            + " fashion-mnist-pose), anomaly (AUROC of one score per image, class 0 normal; ganomaly on"
            + " fashion-mnist-anomaly[-K], K the normal class) or action (clip top1 on moving-mnist-actions, a clip's"
            + " frames as its channels);"
            + " the task's data set is used when --task is given without --dataset.")
    String name;

    /** Whether the user named a task. */
    boolean given() {
        return name != null;
    }

    /** The task named, or classification; a usage error for an unknown name. */
    Task task(CommandSpec spec) {
        return task(spec.commandLine());
    }

    /** The task named, or classification; a usage error of {@code cl} for an unknown name. */
    Task task(CommandLine cl) {
        try {
            return resolved();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, "--task: " + e.getMessage());
        }
    }

    /** The task named, or classification; {@link IllegalArgumentException} naming the known ones for an unknown name. */
    Task resolved() {
        return name == null ? Classification.TASK : Tasks.named(name);
    }

    /**
     * The data set to use: {@code dataset} when given, else the task's own when a task was named; without
     * either, the usage error picocli gives for a missing required option. Also a usage error when the data set
     * is unknown or not labelled as the task needs.
     */
    String dataset(String dataset, CommandSpec spec) {
        return dataset(dataset, spec.commandLine());
    }

    /** {@link #dataset(String, CommandSpec)}, the usage errors of {@code cl}. */
    String dataset(String dataset, CommandLine cl) {
        Task task = task(cl);
        String d = dataset != null ? dataset : given() ? task.defaultDataset() : null;
        if (d == null) {
            throw new ParameterException(cl, "Missing required option: '--dataset=NAME'");
        }
        return checked(d, task, cl);
    }

    /** {@code d}, after checking that it is a known data set labelled as {@code task} needs; usage errors of {@code cl}. */
    static String checked(String d, Task task, CommandLine cl) {
        if (!DataCatalog.isKnown(d)) {
            throw new ParameterException(cl, "--dataset: unknown data set '" + d + "' (known: "
                    + String.join(", ", DataCatalog.names()) + "; the anomaly sets also as NAME-K, K the normal class)");
        }
        Targets.Kind kind = DataCatalog.targetKind(d);
        if (kind != task.targets()) {
            String hint = Tasks.forTargets(kind).map(t -> "use --task " + t.name())
                    .orElse("no built-in task takes " + kind.describe() + " yet");
            throw new ParameterException(cl, "--dataset " + d + " is labelled with " + kind.describe()
                    + ", but task " + task.name() + " needs " + task.targets().describe() + " (" + hint + ")");
        }
        return d;
    }
}
