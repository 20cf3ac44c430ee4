package org.legodnn.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.legodnn.kernels.Parallel;
import org.legodnn.nn.Module;
import org.legodnn.nn.data.DataCatalog;
import org.legodnn.nn.data.Dataset;
import org.legodnn.nn.data.Normalize;
import org.legodnn.nn.train.Checkpoint;
import org.legodnn.nn.train.Evaluator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Measures a trained model's top-1 accuracy on a data set's test split, the number that the shipped
 * teacher's claim and every LegoDNN accuracy drop are checked against.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Top-1 accuracy of a model on the test split of a data set.",
            "With --json prints {\"accuracy\": a, \"samples\": n}, the accuracy as a fraction from 0 to 1."})
public final class EvalCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "NAME|default",
            description = "Model architecture, or 'default': the teacher shipped with legodnn (a CIFAR ResNet-20"
                    + " trained on Fashion-MNIST).")
    private String model;

    @Option(names = "--weights", paramLabel = "W",
            description = "Weights (safetensors, PyTorch names; a file written by train). Required unless --model default.")
    private Path weights;

    @Option(names = "--dataset", required = true, paramLabel = "NAME",
            description = "fashion-mnist, mnist, cifar10, cifar100 or folder.")
    private String dataset;

    @Option(names = "--json", description = "Print {\"accuracy\": a, \"samples\": n} with a the fraction correct (0..1).")
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
        boolean teacher = model.equals("default");
        if (!teacher && !ModelNames.known(model)) {
            throw usage("--model: unknown model '" + model + "' (default, " + ModelNames.describe() + ")");
        }
        if (!teacher && weights == null) {
            throw usage("--weights W is required unless --model default");
        }
        if (!DataCatalog.names().contains(dataset)) {
            throw usage("--dataset: unknown data set '" + dataset + "' (known: " + String.join(", ", DataCatalog.names()) + ")");
        }
        if (batch <= 0 || (threads != null && threads <= 0) || (limit != null && limit <= 0)) {
            throw usage("--batch, --threads and --limit must be positive");
        }
        if (weights != null && !Files.isRegularFile(weights)) {
            throw usage("--weights: no such file " + weights);
        }
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        // The weights first: a build without the teacher should say so before any data is read.
        Checkpoint.Contents contents = weights != null ? Checkpoint.read(weights)
                : Checkpoint.split(ModelNames.teacherWeights());
        String architecture = teacher ? ModelNames.TEACHER_MODEL : model;

        DataCatalog.Source source = DataCatalog.open(dataset, data, System.err);
        Dataset test = source.test().load();
        if (limit != null) {
            test = test.first(limit);
        }
        if (teacher && (test.channels() != ModelNames.TEACHER_CHANNELS || test.classes() != ModelNames.TEACHER_CLASSES)) {
            throw new IllegalStateException("the default teacher takes " + ModelNames.TEACHER_CHANNELS + "-channel images"
                    + " and " + ModelNames.TEACHER_CLASSES + " classes; " + dataset + " has " + test.channels()
                    + " channels and " + test.classes() + " classes");
        }
        Module net = ModelNames.create(architecture, test.channels(), test.classes());
        net.loadStateDict(contents.model(), true);
        Normalize normalize = normalization(contents.metadata(), source.normalize(), test.channels());

        Evaluator.Result r = Evaluator.evaluate(net, test, normalize, batch);
        if (json) {
            System.out.println("{\"accuracy\": " + r.accuracy() + ", \"samples\": " + r.samples() + "}");
        } else {
            System.out.printf(Locale.ROOT, "top-1 %.2f%% (%d of %d %s test images)%n", 100 * r.accuracy(), r.correct(),
                    r.samples(), dataset);
        }
        return 0;
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
