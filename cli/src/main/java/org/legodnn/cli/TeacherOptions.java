package org.legodnn.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.legodnn.core.blocks.BlockExtractor;
import org.legodnn.core.prune.PruningCriterion;
import org.legodnn.graph.Graph;
import org.legodnn.graph.onnx.OnnxImporter;
import org.legodnn.graph.trace.Tracer;
import org.legodnn.nn.Module;
import org.legodnn.nn.data.DataCatalog;
import org.legodnn.nn.data.Dataset;
import org.legodnn.nn.data.Normalize;
import org.legodnn.nn.train.Checkpoint;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options that name a teacher and how to cut it — shared by {@code offline} and {@code extract} — and
 * the loading of that teacher as a graph at the data set's image shape.
 */
final class TeacherOptions {

    @Option(names = "--model", required = true, paramLabel = "NAME|default|M.onnx",
            description = "The teacher: 'default' (the shipped Fashion-MNIST CIFAR ResNet-20), a model name with"
                    + " --weights, or an ONNX file.")
    String model;

    @Option(names = "--weights", paramLabel = "W", description = "The teacher's weights (safetensors, PyTorch names)"
            + " for a model name.")
    Path weights;

    @Option(names = "--dataset", required = true, paramLabel = "NAME",
            description = "fashion-mnist, mnist, cifar10, cifar100 or folder.")
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

    void check(CommandLine cl) {
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
        if (!DataCatalog.names().contains(dataset)) {
            throw new CommandLine.ParameterException(cl, "--dataset: unknown data set '" + dataset + "' (known: "
                    + String.join(", ", DataCatalog.names()) + ")");
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

    /** The teacher traced (or imported) at one image of {@code sample}'s shape. */
    Teacher load(Dataset sample, Normalize fallback) throws IOException {
        int[] shape = {1, sample.channels(), sample.height(), sample.width()};
        if (model.endsWith(".onnx")) {
            Graph g = OnnxImporter.read(Path.of(model));
            return new Teacher(g.withInputShapes(Map.of(g.inputs().get(0).name(), shape)), fallback);
        }
        boolean teacher = model.equals("default");
        Checkpoint.Contents contents = weights != null ? Checkpoint.read(weights)
                : Checkpoint.split(ModelNames.teacherWeights());
        String architecture = teacher ? ModelNames.TEACHER_MODEL : model;
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
