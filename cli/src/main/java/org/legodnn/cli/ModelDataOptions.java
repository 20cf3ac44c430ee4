package org.legodnn.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.legodnn.graph.Graph;
import org.legodnn.nn.data.DataCatalog;
import org.legodnn.nn.data.Dataset;
import org.legodnn.nn.data.Normalize;
import org.legodnn.nn.task.Task;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of the commands that take a trained model, change it and score it before and after
 * ({@code quantize}, {@code prune}) — the model, its task and its data set — and their loading, so that both read
 * a model and its data the same way: the model as a graph of one image (through
 * {@link TeacherOptions}, where {@code --model default} is resolved), the training split to work from and the
 * test split to score on.
 */
final class ModelDataOptions {

    @Option(names = "--model", required = true, paramLabel = "NAME|default|M.onnx",
            description = "'default' (the teacher shipped for --task), a model name with --weights, or an ONNX file.")
    String model;

    @Option(names = "--weights", paramLabel = "W",
            description = "Weights (safetensors, PyTorch names) for a model name.")
    Path weights;

    @Option(names = "--dataset", paramLabel = "NAME", description = "Training and test data: fashion-mnist, mnist,"
            + " cifar10, cifar100 or folder (with --task or --model default, the task's own when left out).")
    String dataset;

    @Mixin
    TaskOption taskOption = new TaskOption();

    @Option(names = "--data", paramLabel = "DIR", description = "Directory holding the data set's files"
            + " (default: $LEGODNN_DATA, installed packages, then the subset shipped with legodnn).")
    Path data;

    /**
     * A model and its data.
     *
     * @param task      the task it is scored by
     * @param source    where the data came from (its augmentation and description)
     * @param train     the training split
     * @param test      the test split, cut to the first {@code --limit} images when a limit was given
     * @param graph     the model, traced or imported at one image of the data's shape ({@link #anyBatch} opens it)
     * @param normalize the normalization its inputs need
     */
    record Loaded(Task task, DataCatalog.Source source, Dataset train, Dataset test, Graph graph,
                  Normalize normalize) {
    }

    /** Checks the options (usage errors of {@code cl}); call before any long work. */
    TeacherOptions check(CommandLine cl) {
        TeacherOptions teacher = new TeacherOptions();
        teacher.model = model;
        teacher.weights = weights;
        // the teacher shipped for a task was trained on the task's own data set
        teacher.dataset = dataset == null && "default".equals(model) ? taskOption.task(cl).defaultDataset() : dataset;
        teacher.data = data;
        teacher.taskOption = taskOption;
        teacher.check(cl);
        return teacher;
    }

    /**
     * The model and its data, after {@link #check}; {@code testLimit} (null: all) cuts the test split.
     *
     * @throws IllegalStateException when the data set has no training or no test images
     */
    Loaded load(TeacherOptions teacher, Integer testLimit) throws IOException {
        DataCatalog.Source source = DataCatalog.open(teacher.dataset, data, System.err);
        Dataset train = source.train().load();
        Dataset test = source.test().load();
        if (testLimit != null) {
            test = test.first(testLimit);
        }
        if (train.size() == 0 || test.size() == 0) {
            throw new IllegalStateException(teacher.dataset + " has " + train.size() + " training and " + test.size()
                    + " test images (" + source.description() + "): both are needed");
        }
        TeacherOptions.Teacher loaded = teacher.load(test, source.normalize());
        return new Loaded(teacher.task(), source, train, test, loaded.graph(), loaded.normalize());
    }

    /** Checks that {@code out} names an ONNX file in a directory that exists (usage errors of {@code cl}). */
    static void checkOut(CommandLine cl, Path out) {
        if (!out.toString().endsWith(".onnx")) {
            throw new CommandLine.ParameterException(cl, "--out must name an .onnx file, got " + out);
        }
        if (out.getParent() != null && !Files.isDirectory(out.getParent())) {
            throw new CommandLine.ParameterException(cl, "--out: no such directory " + out.getParent());
        }
    }

    /** The graph with an open batch dimension, so that training, scoring and the written model take any batch. */
    static Graph anyBatch(Graph g) {
        int[] shape = g.inputs().get(0).shape().clone();
        shape[0] = -1;
        return g.withInputShapes(Map.of(g.inputs().get(0).name(), shape));
    }
}
