package org.legodnn.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.legodnn.core.offline.BlockStore;
import org.legodnn.graph.module.GraphModule;
import org.legodnn.graph.onnx.OnnxImporter;
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
 * teacher's claim and every LegoDNN accuracy drop are checked against: a zoo model with its weights, the
 * shipped teacher, or any ONNX classifier (a composition that {@code export} wrote, or one from elsewhere).
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Top-1 accuracy of a model on the test split of a data set.",
            "--model M.onnx evaluates any ONNX classifier; its inputs are normalized as the block store given with"
                + " --store was (a model that export wrote), else with the data set's usual statistics.",
            "With --json prints {\"accuracy\": a, \"samples\": n}, the accuracy as a fraction from 0 to 1."})
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
        if (!DataCatalog.names().contains(dataset)) {
            throw usage("--dataset: unknown data set '" + dataset + "' (known: " + String.join(", ", DataCatalog.names()) + ")");
        }
        if (batch <= 0 || (threads != null && threads <= 0) || (limit != null && limit <= 0)) {
            throw usage("--batch, --threads and --limit must be positive");
        }
        if (model.endsWith(".onnx")) {
            return evalOnnx(Path.of(model));
        }
        if (store != null) {
            throw usage("--store goes with an ONNX model (--model M.onnx)");
        }
        boolean teacher = model.equals("default");
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

        report(Evaluator.evaluate(net, test, normalize, batch));
        return 0;
    }

    /** An ONNX classifier: the graph as a module, normalized as its store's teacher or as the data set usually is. */
    private int evalOnnx(Path onnx) throws Exception {
        if (!Files.isRegularFile(onnx)) {
            throw usage("--model: no such file " + onnx);
        }
        if (weights != null) {
            throw usage("--weights goes with a zoo model; an ONNX model carries its weights");
        }
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        Normalize stored = store == null ? null : BlockStore.read(store).normalize();
        Module net = new GraphModule(OnnxImporter.read(onnx));
        DataCatalog.Source source = DataCatalog.open(dataset, data, System.err);
        Dataset test = source.test().load();
        if (limit != null) {
            test = test.first(limit);
        }
        report(Evaluator.evaluate(net, test, stored != null ? stored : source.normalize(), batch));
        return 0;
    }

    private void report(Evaluator.Result r) {
        if (json) {
            System.out.println("{\"accuracy\": " + r.accuracy() + ", \"samples\": " + r.samples() + "}");
        } else {
            System.out.printf(Locale.ROOT, "top-1 %.2f%% (%d of %d %s test images)%n", 100 * r.accuracy(), r.correct(),
                    r.samples(), dataset);
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
