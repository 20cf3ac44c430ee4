package org.legodnn.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.legodnn.core.offline.BlockStore;
import org.legodnn.core.offline.StoredBlocks;
import org.legodnn.graph.module.GraphModule;
import org.legodnn.graph.onnx.OnnxImporter;
import org.legodnn.kernels.Parallel;
import org.legodnn.nn.Module;
import org.legodnn.nn.data.DataCatalog;
import org.legodnn.nn.data.Dataset;
import org.legodnn.nn.data.Normalize;
import org.legodnn.nn.train.Checkpoint;
import org.legodnn.nn.task.Classification;
import org.legodnn.nn.task.Score;
import org.legodnn.nn.task.Task;
import org.legodnn.nn.train.Evaluator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Measures a trained model's top-1 accuracy (or, with {@code --task}, the task's metric) on a data set's test
 * split, the number that the shipped teacher's claim and every LegoDNN accuracy drop are checked against: a zoo
 * model with its weights, the shipped teacher, or any ONNX model (a composition that {@code export} wrote, or
 * one from elsewhere).
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Top-1 accuracy of a model on the test split of a data set.",
            "--model M.onnx evaluates any ONNX model; its inputs are normalized as the block store given with"
                + " --store was (a model that export wrote), else with the data set's usual statistics. With --store, the"
                + " store's task and data set are the defaults (a segmentation store's export is scored by mIoU).",
            "With --json prints {\"accuracy\": a, \"samples\": n}, the accuracy as a fraction from 0 to 1.",
            "With --task T, the task's metric: {\"task\": T, \"metric\": NAME, \"value\": v, \"samples\": n, ...} (top1 for"
                + " classification; mIoU for segmentation, with pixel_accuracy; mAP50 for detection, with mAP at IoU"
                + " 0.5:0.95), v a fraction from 0 to 1."})
public final class EvalCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "NAME|default|M.onnx",
            description = "Model architecture, 'default': the teacher shipped with legodnn (a CIFAR ResNet-20"
                    + " trained on Fashion-MNIST), or an ONNX file.")
    private String model;

    @Option(names = "--store", paramLabel = "DIR", description = "With an ONNX model: normalize as this block store's"
            + " teacher was trained (the store export took the model from).")
    private Path store;

    @Option(names = "--weights", paramLabel = "W",
            description = "Weights (safetensors, PyTorch names; a file written by train). Required unless --model default.")
    private Path weights;

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "fashion-mnist, mnist, cifar10, cifar100 or folder; fashion-mnist-seg for --task segmentation,"
                    + " mnist-det for --task detection (each task's default).")
    private String dataset;

    @Mixin
    private TaskOption taskOption;

    @Option(names = "--json", description = "Print {\"accuracy\": a, \"samples\": n} with a the fraction correct (0..1);"
            + " with --task {\"task\": T, \"metric\": NAME, \"value\": v, \"samples\": n, ...}.")
    private boolean json;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: all cores).")
    private Integer threads;

    @Option(names = "--data", paramLabel = "DIR", description = "Directory holding the data set's files"
            + " (default: $LEGODNN_DATA, installed packages, then the subset shipped with legodnn).")
    private Path data;

    @Option(names = "--batch", paramLabel = "B", description = "Batch size (default: ${DEFAULT-VALUE}).")
    private int batch = 256;

    @Option(names = "--limit", paramLabel = "N", description = "Evaluate on only the first N test images.")
    private Integer limit;

    @Override
    public Integer call() throws Exception {
        if (store != null && !model.endsWith(".onnx")) {
            throw usage("--store goes with an ONNX model (--model M.onnx)");
        }
        StoredBlocks stored = store == null ? null : BlockStore.read(store);
        Task task = task(stored);
        dataset = stored == null ? taskOption.dataset(dataset, spec)
                : TaskOption.checked(dataset != null ? dataset : stored.dataset(), task, spec.commandLine());
        if (batch <= 0 || (threads != null && threads <= 0) || (limit != null && limit <= 0)) {
            throw usage("--batch, --threads and --limit must be positive");
        }
        if (model.endsWith(".onnx")) {
            return evalOnnx(Path.of(model), task, stored);
        }
        boolean teacher = model.equals("default");
        TeacherOptions.Shipped shipped = teacher ? TeacherOptions.shipped(task, spec.commandLine()) : null;
        if (!teacher && !ModelNames.known(model)) {
            throw usage("--model: unknown model '" + model + "' (default, " + ModelNames.describe() + ")");
        }
        if (!teacher && weights == null) {
            throw usage("--weights W is required unless --model default");
        }
        if (weights != null && !Files.isRegularFile(weights)) {
            throw usage("--weights: no such file " + weights);
        }
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        // The weights first: a build without the teacher should say so before any data is read.
        Checkpoint.Contents contents = weights != null ? Checkpoint.read(weights) : Checkpoint.split(shipped.weights());
        String architecture = teacher ? shipped.architecture() : model;

        DataCatalog.Source source = DataCatalog.open(dataset, data, System.err);
        Dataset test = source.test().load();
        if (limit != null) {
            test = test.first(limit);
        }
        requireImages(test, source);
        if (teacher && (test.channels() != shipped.channels() || test.classes() != shipped.classes())) {
            throw new IllegalStateException("the default teacher takes " + shipped.channels() + "-channel images"
                    + " and " + shipped.classes() + " classes; " + dataset + " has " + test.channels()
                    + " channels and " + test.classes() + " classes");
        }
        Module net = ModelNames.create(architecture, test.channels(), test.classes());
        net.loadStateDict(contents.model(), true);
        Normalize normalize = normalization(contents.metadata(), source.normalize(), test.channels());

        report(task, Evaluator.evaluate(task, net, test, normalize, batch));
        return 0;
    }

    /**
     * The task to score with: {@code --task} when given (it must be the store's, with {@code --store}), else the
     * task the block store records, else classification.
     */
    private Task task(StoredBlocks stored) {
        if (stored == null) {
            return taskOption.task(spec);
        }
        Task own;
        try {
            own = stored.task().resolve();
        } catch (IllegalArgumentException e) {
            throw usage("--store " + store + ": " + e.getMessage());
        }
        if (taskOption.given() && !taskOption.task(spec).name().equals(own.name())) {
            throw usage("--task " + taskOption.task(spec).name() + ", but the block store " + store + " was made for task "
                    + own.name() + " (its profiles hold " + stored.task().metric() + "); leave --task out or pass --task "
                    + own.name());
        }
        return own;
    }

    /**
     * An ONNX model (scored by {@code task}: a classifier unless --task or the store says otherwise): the graph as a
     * module, normalized as its store's teacher or as the data set usually is.
     */
    private int evalOnnx(Path onnx, Task task, StoredBlocks stored) throws Exception {
        if (!Files.isRegularFile(onnx)) {
            throw usage("--model: no such file " + onnx);
        }
        if (weights != null) {
            throw usage("--weights goes with a zoo model; an ONNX model carries its weights");
        }
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        Normalize normalize = stored == null ? null : stored.normalize();
        Module net = new GraphModule(OnnxImporter.read(onnx));
        DataCatalog.Source source = DataCatalog.open(dataset, data, System.err);
        Dataset test = source.test().load();
        if (limit != null) {
            test = test.first(limit);
        }
        requireImages(test, source);
        report(task, Evaluator.evaluate(task, net, test, normalize != null ? normalize : source.normalize(), batch));
        return 0;
    }

    /** An accuracy over no images would be a made-up 0 %: an empty test split is a failure, not a result. */
    private void requireImages(Dataset test, DataCatalog.Source source) {
        if (test.size() == 0) {
            throw new IllegalStateException("the test split of " + dataset + " has no images (" + source.description()
                    + "): nothing to evaluate");
        }
    }

    /**
     * Without --task, exactly what eval printed before tasks existed; with it, the task's form:
     * {@code {"task", "metric", "value", "samples", <details>}}, or a line naming the metric and its details.
     */
    private void report(Task task, Score r) {
        if (!taskOption.given() && task == Classification.TASK) {
            long correct = Math.round(r.value() * r.samples()); // exact: value is correct / samples
            if (json) {
                System.out.println("{\"accuracy\": " + r.value() + ", \"samples\": " + r.samples() + "}");
            } else {
                System.out.printf(Locale.ROOT, "top-1 %.2f%% (%d of %d %s test images)%n", 100 * r.value(), correct,
                        r.samples(), dataset);
            }
            return;
        }
        if (json) {
            StringBuilder sb = new StringBuilder("{\"task\": \"" + r.task() + "\", \"metric\": \"" + r.metric()
                    + "\", \"value\": " + r.value() + ", \"samples\": " + r.samples());
            r.details().forEach((k, v) -> sb.append(", \"").append(k).append("\": ").append(v));
            System.out.println(sb.append('}'));
        } else {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s %.2f%%", task.metricLabel(), 100 * r.value()));
            r.details().forEach((k, v) -> sb.append(String.format(Locale.ROOT, ", %s %.2f%%", k.replace('_', ' '), 100 * v)));
            System.out.println(sb.append(String.format(Locale.ROOT, " (%d %s test images)", r.samples(), dataset)));
        }
    }

    /** The statistics the weights were trained with (saved by train), else the data set's usual ones. */
    private static Normalize normalization(Map<String, String> meta, Normalize fallback, int channels) {
        String mean = meta.get("normalize_mean");
        String std = meta.get("normalize_std");
        if (mean != null && std != null) {
            Normalize n = Normalize.parse(mean, std);
            if (n.channels() == channels) {
                return n;
            }
        }
        return fallback;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
