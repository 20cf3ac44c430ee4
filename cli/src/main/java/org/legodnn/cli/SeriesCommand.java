package org.legodnn.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.legodnn.LegoDnn;
import org.legodnn.core.latency.LatencyProfiler;
import org.legodnn.core.offline.BlockStore;
import org.legodnn.core.offline.StoredBlocks;
import org.legodnn.core.online.LegoDnnRuntime;
import org.legodnn.core.online.UpdateResult;
import org.legodnn.core.optimize.ScalingProblem;
import org.legodnn.core.prune.BlockOptions;
import org.legodnn.core.prune.Precision;
import org.legodnn.demo.BudgetSweep;
import org.legodnn.demo.DemoReport;
import org.legodnn.nn.train.TaskBar;
import org.legodnn.report.TradeoffPlot;
import org.legodnn.report.TradeoffPoint;
import org.legodnn.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The original LegoDNN's series for any block store: a sweep of budgets from the fastest (smallest) composition
 * to the original, the optimal composition for each with its estimates (and, with {@code --measure}, its measured
 * latency here), written as {@code series.json} and drawn as {@code tradeoff.png}; with {@code --models} each
 * composition exported as ONNX, as the original's {@code gen_series_legodnn_models} saves them.
 */
@Command(name = "series", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sweep latency and memory budgets over a block store: the optimal composition for each,"
                + " series.json and tradeoff.png in --out (with --models every composition as ONNX, with --measure"
                + " its latency measured here).",
            "A store with int8 variants (offline --precisions fp32,int8) sweeps the wider choice; the plot then also"
                + " draws the fp32-only front, dashed.",
            "The accuracies are the store's task's metric (\"metric\" in series.json: top1 for a classifier, mIoU for"
                + " segmentation), kept under the keys teacher_accuracy and estimated_accuracy."})
public final class SeriesCommand implements Callable<Integer> {

    private static final double MIB = 1024 * 1024;

    @Spec
    private CommandSpec spec;

    @Option(names = "--store", required = true, paramLabel = "DIR", description = "A profiled block store.")
    private Path store;

    @Option(names = "--out", required = true, paramLabel = "DIR2", description = "Where series.json and tradeoff.png go.")
    private Path out;

    @Option(names = "--latency-steps", paramLabel = "N", description = "Latency budgets (memory free), default ${DEFAULT-VALUE}.")
    private int latencySteps = 8;

    @Option(names = "--memory-steps", paramLabel = "N", description = "Memory budgets (latency free), default ${DEFAULT-VALUE}.")
    private int memorySteps = 4;

    @Option(names = "--measure", description = "Also measure each composition's latency here (batch 1, median).")
    private boolean measure;

    @Option(names = "--models", description = "Also export each composition as ONNX into --out.")
    private boolean models;

    @Override
    public Integer call() throws Exception {
        if (latencySteps < 1 || memorySteps < 0) {
            throw new ParameterException(spec.commandLine(), "--latency-steps must be >= 1 and --memory-steps >= 0");
        }
        if (!Files.isDirectory(store)) {
            throw new ParameterException(spec.commandLine(), "--store " + store + ": not a directory");
        }
        StoredBlocks stored = BlockStore.read(store);
        LegoDnnRuntime runtime = LegoDnn.open(store);
        ScalingProblem free = runtime.problem(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
        BlockOptions options = runtime.options();
        double teacher = stored.profiles().teacherAccuracy();
        String metric = stored.profiles().metric();
        String estimated = stored.task().isClassification() ? "est.acc" : "est." + metric;
        Files.createDirectories(out);
        Tensor x = Tensor.randn(new Random(1), runtime.compositionGraph().inputs().get(0).concreteShape());
        List<Map<String, Object>> rows = new ArrayList<>();
        List<TradeoffPoint> points = new ArrayList<>(BudgetSweep.tradeoffs(free, teacher, 600, 30, 7));
        System.out.printf(Locale.ROOT, "%-12s %10s %10s  %-24s %8s %9s %9s%s%n", "budget", "lat.ms", "mem.MiB",
                "selection", estimated, "est.ms", "MiB", measure ? "   meas.ms" : "");
        // timed like the profile: the JIT compiles the kernels first, then each composition warms up before timing
        LatencyProfiler.Settings timing = new LatencyProfiler.Settings(20, 40, 1000, 0, 42);
        TaskBar progress = TaskBar.forStderr(); // stdout carries the table only
        if (measure) {
            progress.begin("series: JIT warm-up", 0);
            long until = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < until) {
                runtime.infer(x);
            }
        }
        List<BudgetSweep.Budget> budgets = BudgetSweep.plan(free, latencySteps, memorySteps);
        progress.begin("series: budgets", budgets.size());
        for (BudgetSweep.Budget b : budgets) {
            UpdateResult u = runtime.update(b.latencyMs(), b.memoryBytes());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("budget", b.label());
            row.put("latency_budget_ms", finiteOrNull(b.latencyMs()));
            row.put("memory_budget_bytes", finiteOrNull(b.memoryBytes()));
            row.put("selection", toList(u.selection()));
            row.put("sparsities", u.sparsities());
            if (options.mixed()) {
                row.put("precisions", u.precisions().stream().map(Precision::label).toList());
            }
            row.put("estimated_accuracy", u.estimatedAccuracy());
            row.put("latency_ms", u.latencyMs());
            row.put("memory_bytes", Math.round(u.memoryBytes()));
            row.put("relaxed", u.relaxed());
            double measured = Double.NaN;
            if (measure) {
                measured = LatencyProfiler.measure(() -> runtime.infer(x), timing).medianMs();
                row.put("measured_latency_ms", measured);
            }
            if (models) {
                Path onnx = out.resolve("composition-" + BudgetSweep.label(u.selection()) + ".onnx");
                runtime.export(onnx);
                row.put("model", onnx.getFileName().toString());
            }
            rows.add(row);
            points.add(BudgetSweep.point(free, u.selection(), teacher).asChosen());
            progress.clear();
            System.out.printf(Locale.ROOT, "%-12s %10s %10s  %-24s %7.2f%% %9.3f %9.3f%s%n", b.label(),
                    budget(b.latencyMs(), 1), budget(b.memoryBytes(), MIB), BudgetSweep.label(u.selection()),
                    100 * u.estimatedAccuracy(), u.latencyMs(), u.memoryBytes() / MIB,
                    measure ? String.format(Locale.ROOT, " %9.3f", measured) : "");
            progress.advance(rows.size());
        }
        progress.end();
        Map<String, Object> series = new LinkedHashMap<>();
        series.put("format", "legodnn-series");
        series.put("version", 1);
        series.put("store", store.toAbsolutePath().normalize().toString());
        series.put("model", stored.model());
        series.put("task", stored.task().task());
        series.put("metric", metric);
        series.put("dataset", stored.dataset());
        series.put("teacher_accuracy", teacher);
        series.put("precisions", options.labels());
        series.put("latency_backend", stored.latency().backend());
        series.put("compositions", rows);
        Path json = out.resolve("series.json");
        DemoReport.write(series, json);
        Path png = out.resolve("tradeoff.png");
        TradeoffPlot.Baseline fp32 = null;
        if (options.mixed()) {
            ScalingProblem narrow = fp32Options(free, stored.sparsities().length);
            fp32 = new TradeoffPlot.Baseline("fp32 only", BudgetSweep.tradeoffs(narrow, teacher, 0, 30, 7));
            System.out.printf(Locale.ROOT, "smallest composition: %.3f MiB in fp32 only, %.3f MiB with %s%n",
                    narrow.minMemory() / MIB, free.minMemory() / MIB, String.join(" and ", options.labels()));
        }
        TradeoffPlot.write(points, fp32, String.format(Locale.ROOT, "LegoDNN: %s on %s, %d blocks x %d descendants%s"
                        + " (estimates; the sweep's choices marked)", stored.model(), stored.dataset(),
                free.blocks(), stored.sparsities().length, options.mixed() ? " x " + options.labels() : ""),
                OfflineStages.accuracyName(metric), png);
        System.out.println("wrote " + json + " and " + png + (models ? " and " + rows.size() + " ONNX models" : ""));
        return 0;
    }

    /** {@code p} with each block's first {@code n} options only: the fp32 descendants of a store with int8 ones. */
    static ScalingProblem fp32Options(ScalingProblem p, int n) {
        double[][] drop = p.accuracyDrop();
        double[][] ms = p.latency();
        double[][] bytes = p.memory();
        for (int i = 0; i < drop.length; i++) {
            drop[i] = Arrays.copyOf(drop[i], n);
            ms[i] = Arrays.copyOf(ms[i], n);
            bytes[i] = Arrays.copyOf(bytes[i], n);
        }
        return new ScalingProblem(drop, ms, bytes, p.frameLatency(), p.frameMemory(), p.latencyBudget(),
                p.memoryBudget(), null, 0);
    }

    private static Object finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static List<Integer> toList(int[] a) {
        List<Integer> l = new ArrayList<>(a.length);
        for (int v : a) {
            l.add(v);
        }
        return l;
    }

    private static String budget(double v, double unit) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v / unit) : "-";
    }
}
