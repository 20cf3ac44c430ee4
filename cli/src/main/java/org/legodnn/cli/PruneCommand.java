package org.legodnn.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.legodnn.core.prune.ModelPruner;
import org.legodnn.core.prune.PruningAllocation;
import org.legodnn.core.prune.PruningCriterion;
import org.legodnn.graph.Graph;
import org.legodnn.graph.module.GraphModule;
import org.legodnn.graph.onnx.OnnxExporter;
import org.legodnn.kernels.Parallel;
import org.legodnn.nn.Init;
import org.legodnn.nn.data.Augment;
import org.legodnn.nn.data.Dataset;
import org.legodnn.nn.optim.SGD;
import org.legodnn.nn.task.Classification;
import org.legodnn.nn.train.Evaluator;
import org.legodnn.nn.train.ProgressBar;
import org.legodnn.nn.train.Trainer;
import org.legodnn.tensor.io.Safetensors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Whole-model structured pruning as one command, as users of Torch-Pruning expect: a trained model in, a
 * physically smaller one out (ONNX, and its weights as safetensors beside it), fine-tuned with the task's loss on
 * the training split, with its parameters, FLOPs, latency and metric shown before and after so that the trade is
 * known before it ships. The pruning itself is {@link ModelPruner}'s.
 */
@Command(name = "prune", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Structured pruning of a whole model: removes whole channels (conv filters with their BatchNorm"
                + " channels and the next layers' inputs; coupled channels, such as those summed by residual adds, go"
                + " together), fine-tunes the smaller model and writes it as ONNX (dynamic batch) with its weights as"
                + " safetensors beside it (M.safetensors for M.onnx). The layers that produce the model's outputs keep"
                + " them.",
            "Prints parameters, FLOPs, batch-1 latency on this engine and the task's metric on the test split, before"
                + " and after. With --json: {\"task\", \"metric\", \"before\": {\"params\", \"flops\", \"latency_ms\","
                + " \"value\"}, \"after\": {...}, \"sparsity\", \"removed_channels\", \"flops_ratio\","
                + " \"samples\", ...}."})
public final class PruneCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ModelDataOptions modelData;

    /** How much to prune: a FLOPs target or a sparsity. */
    static final class Amount {
        @Option(names = "--target-flops", paramLabel = "F", description = "Prune to at most F times the model's FLOPs"
                + " (0 < F <= 1): the least sparsity that gets there, found by bisection.")
        Double targetFlops;

        @Option(names = "--sparsity", paramLabel = "S",
                description = "Remove this fraction of the channels (0 <= S < 1).")
        Double sparsity;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Amount amount;

    /** How the sparsity is shared among channel groups. */
    static final class Allocation {
        @Option(names = "--uniform", description = "Every channel group loses the same fraction (the default).")
        boolean uniform;

        @Option(names = "--global", description = "Channels ranked across groups, each score divided by its group's"
                + " mean score (groups of more or larger layers would otherwise always score higher).")
        boolean global;
    }

    @ArgGroup(exclusive = true)
    private Allocation allocation;

    @Option(names = "--criterion", paramLabel = "C", description = "Channel ranking: ${COMPLETION-CANDIDATES}"
            + " (L1 norm of the filters, or |BatchNorm scale|; default: ${DEFAULT-VALUE}).")
    private PruningCriterion criterion = PruningCriterion.L1_NORM;

    @Option(names = "--round-to", paramLabel = "R", description = "Kept channels per group are a multiple of R (never"
            + " 0; a group of R or fewer stays whole); 8 fills the 8 float lanes of AVX2 (default: ${DEFAULT-VALUE}).")
    private int roundTo = 8;

    @Option(names = "--finetune-epochs", paramLabel = "E", description = "Epochs of fine-tuning on the training split,"
            + " 0 for none (default: ${DEFAULT-VALUE}).")
    private int epochs = 3;

    @Option(names = "--out", required = true, paramLabel = "M.onnx", description = "The pruned model to write.")
    private Path out;

    @Option(names = "--lr", paramLabel = "LR", description = "Fine-tuning's initial learning rate (SGD with momentum"
            + " 0.9; default: ${DEFAULT-VALUE}).")
    private double lr = 0.02;

    @Option(names = "--weight-decay", paramLabel = "WD", description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
    private double weightDecay = 5e-4;

    @Option(names = "--schedule", paramLabel = "S", description = "cosine (per step, to 0 at the end), step or none"
            + " (default: ${DEFAULT-VALUE}).")
    private String schedule = "cosine";

    @Option(names = "--batch", paramLabel = "B", description = "Fine-tuning batch size (default: ${DEFAULT-VALUE}).")
    private int batch = 128;

    @Option(names = "--seed", paramLabel = "S", description = "Seeds the data order and augmentation"
            + " (default: ${DEFAULT-VALUE}).")
    private long seed = 1;

    @Option(names = "--limit", paramLabel = "N", description = "Fine-tune on only the first N training images.")
    private Integer limit;

    @Option(names = "--test-limit", paramLabel = "N", description = "Score on only the first N test images.")
    private Integer testLimit;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: all cores).")
    private Integer threads;

    @Option(names = "--json", description = "Print one JSON object instead of lines of text.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        validate();
        TeacherOptions teacher = modelData.check(spec.commandLine());
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        ModelDataOptions.Loaded loaded = modelData.load(teacher, testLimit);
        Dataset train = limit == null ? loaded.train() : loaded.train().first(limit);
        PruningAllocation how = allocation != null && allocation.global ? PruningAllocation.GLOBAL
                : PruningAllocation.UNIFORM;
        ModelPruner pruner = new ModelPruner(loaded.graph(), new ModelPruner.Settings(criterion, how, roundTo));
        ModelPruner.Result pruned = amount.targetFlops != null ? pruner.toFlops(amount.targetFlops)
                : pruner.prune(amount.sparsity);
        progress(String.format(Locale.ROOT, "pruned %s: %.1f%% of the prunable channels (%s, %s, multiples of %d),"
                        + " %,d -> %,d FLOPs", modelData.model, 100 * pruned.removed(),
                how.name().toLowerCase(Locale.ROOT), criterion, roundTo, pruner.flops(), pruned.flops()));

        progress("scoring the original model on " + loaded.test().size() + " test images");
        double scoreBefore = score(loaded, loaded.graph());
        GraphModule module = new GraphModule(ModelDataOptions.anyBatch(pruned.graph()));
        if (epochs > 0) {
            fineTune(module, loaded, train);
        }
        Graph result = module.graph();
        progress("scoring the pruned model");
        Graph oneImage = result.withInputShapes(Map.of(result.inputs().get(0).name(),
                loaded.graph().inputs().get(0).shape()));
        double scoreAfter = score(loaded, result);
        progress("timing both models at batch 1");
        List<ModelFigures> figures = ModelFigures.of(List.of(loaded.graph(), oneImage),
                new double[] {scoreBefore, scoreAfter});
        ModelFigures before = figures.get(0);
        ModelFigures after = figures.get(1);

        Path weights = weightsBeside(out);
        OnnxExporter.write(result, out);
        Safetensors.write(weights, result.initializers(), Map.of("producer", "legodnn prune",
                "model", modelData.model, "sparsity", Double.toString(pruned.sparsity())));
        report(loaded, pruner, pruned, before, after, weights);
        return 0;
    }

    private void validate() {
        if (amount.targetFlops != null && !(amount.targetFlops > 0 && amount.targetFlops <= 1)) {
            throw usage("--target-flops must be in (0, 1], got " + amount.targetFlops);
        }
        if (amount.sparsity != null && !(amount.sparsity >= 0 && amount.sparsity < 1)) {
            throw usage("--sparsity must be in [0, 1), got " + amount.sparsity);
        }
        if (roundTo < 1 || epochs < 0 || batch <= 0 || !(lr > 0) || !(weightDecay >= 0)) {
            throw usage("--round-to and --batch must be positive, --finetune-epochs and --weight-decay at least 0,"
                    + " --lr above 0");
        }
        if ((limit != null && limit <= 0) || (testLimit != null && testLimit <= 0)) {
            throw usage("--limit and --test-limit must be positive");
        }
        if (!LrScheduleChoice.NAMES.contains(schedule)) {
            throw usage("--schedule must be cosine, step or none, got '" + schedule + "'");
        }
        ModelDataOptions.checkOut(spec.commandLine(), out);
    }

    /** The task's metric of {@code g} on the test split. */
    private static double score(ModelDataOptions.Loaded loaded, Graph g) {
        return Evaluator.evaluate(loaded.task(), new GraphModule(ModelDataOptions.anyBatch(g)), loaded.test(),
                loaded.normalize(), 256).value();
    }

    /** {@link #epochs} of SGD with momentum on the task's loss, augmented as the data set suits, progress on stderr. */
    private void fineTune(GraphModule module, ModelDataOptions.Loaded loaded, Dataset train) throws Exception {
        Init.manualSeed(seed);
        SGD sgd = new SGD(module.parameters(), lr, 0.9, weightDecay, false);
        LrScheduleChoice lrs = LrScheduleChoice.of(schedule, lr, epochs, Trainer.stepsPerEpoch(train.size(), batch));
        Augment augment = loaded.source().augment();
        String metric = loaded.task() == Classification.TASK ? "acc" : loaded.task().metricLabel();
        progress(String.format(Locale.ROOT, "fine-tuning on %,d training images: %d epoch%s, batch %d, SGD lr %s"
                        + " momentum 0.9 weight decay %s, schedule %s; %d threads", train.size(), epochs,
                epochs == 1 ? "" : "s", batch, lr, weightDecay, schedule, Parallel.threads()));
        new Trainer(module, loaded.task(), sgd, new Trainer.Options(epochs, batch, seed, augment, loaded.normalize(),
                lrs.schedule(), lrs.unit(), 256, null, null, Map.of()), ProgressBar.forStderr(metric))
                .fit(train, null);
    }

    /** {@code M.safetensors} beside {@code M.onnx}. */
    static Path weightsBeside(Path onnx) {
        String name = onnx.getFileName().toString();
        return onnx.resolveSibling(name.substring(0, name.length() - ".onnx".length()) + ".safetensors");
    }

    private void report(ModelDataOptions.Loaded loaded, ModelPruner pruner, ModelPruner.Result pruned,
                        ModelFigures before, ModelFigures after, Path weights) throws Exception {
        double ratio = (double) after.flops() / before.flops();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("task", loaded.task().name());
            m.put("metric", loaded.task().metricName());
            m.put("before", before.toJson());
            m.put("after", after.toJson());
            m.put("sparsity", pruned.sparsity());
            m.put("removed_channels", pruned.removed());
            m.put("flops_ratio", ratio);
            m.put("params_ratio", (double) after.params() / before.params());
            if (amount.targetFlops != null) {
                m.put("target_flops", amount.targetFlops);
            }
            m.put("samples", loaded.test().size());
            m.put("finetune_epochs", epochs);
            m.put("out", out.toString());
            m.put("weights", weights.toString());
            System.out.println(JSON.std.asString(m));
            return;
        }
        String metric = loaded.task().metricLabel();
        System.out.printf(Locale.ROOT, "%-7s %10s %10s %10s %10s%n", "", "params", "MFLOPs", "latency ms", metric);
        System.out.println(before.row("before"));
        System.out.println(after.row("after"));
        System.out.printf(Locale.ROOT, "%.1f%% of the FLOPs, %.1f%% of the parameters, %.2fx faster, %+.2f points of"
                        + " %s (%d test images, %d epoch%s of fine-tuning)%n", 100 * ratio,
                100.0 * after.params() / before.params(), before.latencyMs() / after.latencyMs(),
                100 * (after.metric() - before.metric()), metric, loaded.test().size(), epochs,
                epochs == 1 ? "" : "s");
        System.out.println("wrote " + out + " and " + weights);
    }

    private void progress(String line) {
        System.err.println(line);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
