package org.legodnn.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.legodnn.core.blocks.BlockExtractor;
import org.legodnn.core.prune.PruningCriterion;
import org.legodnn.graph.Graph;
import org.legodnn.graph.onnx.OnnxImporter;
import org.legodnn.graph.trace.Tracer;
import org.legodnn.nn.Module;
import org.legodnn.nn.data.Dataset;
import org.legodnn.nn.data.Normalize;
import org.legodnn.nn.task.ActionRecognition;
import org.legodnn.nn.task.AnomalyDetection;
import org.legodnn.nn.task.Classification;
import org.legodnn.nn.task.Detection;
import org.legodnn.nn.task.Pose;
import org.legodnn.nn.task.Segmentation;
import org.legodnn.nn.task.Task;
import org.legodnn.nn.train.Checkpoint;
import org.legodnn.tensor.io.SafetensorsFile;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options that name a teacher, its task and how to cut it — shared by {@code offline} and {@code extract} —
 * and the loading of that teacher as a graph at the data set's image shape. {@link #shipped} is the one place
 * where {@code --model default} turns into a shipped teacher for a task ({@code eval} and {@code demo} ask it too).
 */
final class TeacherOptions {

    @Option(names = "--model", required = true, paramLabel = "NAME|default|M.onnx",
            description = "The teacher: 'default' (the teacher shipped for --task: for classification the Fashion-MNIST"
                    + " CIFAR ResNet-20), a model name with --weights, or an ONNX file.")
    String model;

    @Mixin
    TaskOption taskOption = new TaskOption();

    @Option(names = "--weights", paramLabel = "W", description = "The teacher's weights (safetensors, PyTorch names)"
            + " for a model name.")
    Path weights;

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "fashion-mnist, mnist, cifar10, cifar100 or folder; with --task, the task's own when left out"
                    + " (fashion-mnist-seg for segmentation, mnist-det for detection).")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR", description = "Directory holding the data set's files"
            + " (default: $LEGODNN_DATA, installed packages, then the subset shipped with legodnn).")
    Path data;

    @Option(names = "--sparsities", split = ",", paramLabel = "S,...",
            description = "Descendant sparsities, ascending, starting at 0 (default: 0,0.2,0.4,0.6,0.8).")
    double[] sparsities = {0.0, 0.2, 0.4, 0.6, 0.8};

    @Option(names = "--max-ratio", paramLabel = "R", description = "Largest block as a share of the convs"
            + " (default: ${DEFAULT-VALUE}).")
    double maxRatio = BlockExtractor.DEFAULT_MAX_RATIO;

    @Option(names = "--criterion", paramLabel = "C", description = "Filter ranking: ${COMPLETION-CANDIDATES}"
            + " (default: ${DEFAULT-VALUE}).")
    PruningCriterion criterion = PruningCriterion.L1_NORM;

    /** A teacher graph and the normalization its inputs need. */
    record Teacher(Graph graph, Normalize normalize) {
    }

    /**
     * A teacher shipped inside the jar for one task: what {@code --model default} means with that task.
     *
     * @param architecture the model name its weights fit
     * @param resource     the class-path resource of its weights (a checkpoint written by {@code train})
     * @param channels     image channels it takes
     * @param classes      classes it outputs
     */
    record Shipped(String architecture, String resource, int channels, int classes) {

        /** The weights from inside the jar, or a failure saying this build has none. */
        SafetensorsFile weights() throws IOException {
            try (InputStream in = TeacherOptions.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("the default teacher's weights (" + resource.substring(1)
                            + ") are not in this build; pass --model NAME --weights FILE instead");
                }
                return SafetensorsFile.fromBytes("teacher " + resource.substring(1), in.readAllBytes());
            }
        }
    }

    /**
     * The teacher shipped per task name. A task's teacher ships by adding its entry here and its weights under
     * the resource path; every command that takes {@code --model default} then finds it.
     */
    private static final Map<String, Shipped> SHIPPED = Map.of(
            Classification.TASK.name(), new Shipped(ModelNames.TEACHER_MODEL, ModelNames.TEACHER_RESOURCE,
                    ModelNames.TEACHER_CHANNELS, ModelNames.TEACHER_CLASSES),
            Segmentation.TASK.name(), new Shipped("unet", "/org/legodnn/teacher/fashion_mnist_seg_unet.safetensors",
                    1, 11),
            Detection.TASK.name(), new Shipped("yolov3_resnet18",
                    "/org/legodnn/teacher/mnist_det_yolov3_resnet18.safetensors", 1, 10),
            Pose.TASK.name(), new Shipped("simplebaselines_resnet18",
                    "/org/legodnn/teacher/fashion_mnist_pose_simplebaselines_resnet18.safetensors", 1, 5),
            AnomalyDetection.TASK.name(), new Shipped("ganomaly",
                    "/org/legodnn/teacher/fashion_mnist_anomaly_ganomaly.safetensors", 1, 2),
            ActionRecognition.TASK.name(), new Shipped("tsn_resnet18",
                    "/org/legodnn/teacher/moving_mnist_actions_tsn_resnet18.safetensors", 8, 8));

    /** The teacher that {@code --model default} names for {@code task}, if one is shipped. */
    static Optional<Shipped> shipped(Task task) {
        return Optional.ofNullable(SHIPPED.get(task.name()));
    }

    /**
     * The teacher that {@code --model default} names for {@code task}.
     *
     * @throws ParameterException in one line of {@code cl} when no teacher is shipped for the task yet
     */
    static Shipped shipped(Task task, CommandLine cl) {
        return shipped(task).orElseThrow(() -> new ParameterException(cl, notShipped(task)));
    }

    /** The line that says {@code task} has no shipped teacher yet, and what to pass instead. */
    static String notShipped(Task task) {
        return "--model default: no " + task.name() + " teacher is shipped yet; train one (train --task " + task.name()
                + " --model NAME ...) and pass --model NAME --weights W";
    }

    /** The task, from {@code --task} (classification when not given); a usage error of {@code cl} for an unknown one. */
    Task task(CommandLine cl) {
        return taskOption.task(cl);
    }

    /** The task, from {@code --task} (classification when not given), once {@link #check} has accepted it. */
    Task task() {
        return taskOption.resolved();
    }

    void check(CommandLine cl) {
        Task task = task(cl);
        dataset = taskOption.dataset(dataset, cl);
        if (model.equals("default")) {
            shipped(task, cl);
        }
        if (sparsities.length == 0 || sparsities[0] != 0.0) {
            throw new CommandLine.ParameterException(cl, "--sparsities must start at 0 (the original block)");
        }
        for (int i = 0; i < sparsities.length; i++) {
            if (!(sparsities[i] >= 0 && sparsities[i] < 1) || (i > 0 && sparsities[i] <= sparsities[i - 1])) {
                throw new CommandLine.ParameterException(cl, "--sparsities must ascend within [0, 1); got "
                        + java.util.Arrays.toString(sparsities));
            }
        }
        if (!(maxRatio > 0 && maxRatio <= 1)) {
            throw new CommandLine.ParameterException(cl, "--max-ratio must be in (0, 1]");
        }
        boolean onnx = model.endsWith(".onnx");
        if (!onnx && !model.equals("default") && !ModelNames.known(model)) {
            throw new CommandLine.ParameterException(cl, "--model: unknown model '" + model + "' (default, "
                    + ModelNames.describe() + ", or an ONNX file)");
        }
        if (!onnx && !model.equals("default") && weights == null) {
            throw new CommandLine.ParameterException(cl, "--weights W is required with a model name");
        }
        if (weights != null && !Files.isRegularFile(weights)) {
            throw new CommandLine.ParameterException(cl, "--weights: no such file " + weights);
        }
        if (onnx && !Files.isRegularFile(Path.of(model))) {
            throw new CommandLine.ParameterException(cl, "--model: no such file " + model);
        }
    }

    /** The teacher traced (or imported) at one image of {@code sample}'s shape, after {@link #check}. */
    Teacher load(Dataset sample, Normalize fallback) throws IOException {
        int[] shape = {1, sample.channels(), sample.height(), sample.width()};
        if (model.endsWith(".onnx")) {
            Graph g = OnnxImporter.read(Path.of(model));
            return new Teacher(g.withInputShapes(Map.of(g.inputs().get(0).name(), shape)), fallback);
        }
        Shipped shipped = model.equals("default")
                ? shipped(task()).orElseThrow(() -> new IllegalStateException(notShipped(task()))) : null;
        Checkpoint.Contents contents = weights != null ? Checkpoint.read(weights) : Checkpoint.split(shipped.weights());
        String architecture = shipped != null ? shipped.architecture() : model;
        Module net = ModelNames.create(architecture, sample.channels(), sample.classes());
        net.loadStateDict(contents.model(), true);
        net.eval();
        Normalize normalize = fallback;
        String mean = contents.metadata().get("normalize_mean");
        String std = contents.metadata().get("normalize_std");
        if (mean != null && std != null && Normalize.parse(mean, std).channels() == sample.channels()) {
            normalize = Normalize.parse(mean, std);
        }
        return new Teacher(Tracer.trace(net, shape), normalize);
    }
}
