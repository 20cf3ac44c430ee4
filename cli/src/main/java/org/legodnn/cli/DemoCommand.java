package org.legodnn.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.legodnn.core.latency.LatencyProfiler;
import org.legodnn.core.latency.Recalibration;
import org.legodnn.core.offline.AccuracyEstimate;
import org.legodnn.core.offline.BlockStore;
import org.legodnn.core.offline.Profiles;
import org.legodnn.core.offline.RetrainOptions;
import org.legodnn.core.offline.StoreContents;
import org.legodnn.core.online.BlockSwitcher;
import org.legodnn.core.online.LegoDnnRuntime;
import org.legodnn.core.online.ServingPlan;
import org.legodnn.core.online.StoreDescendants;
import org.legodnn.core.online.UpdateResult;
import org.legodnn.core.optimize.ScalingProblem;
import org.legodnn.demo.BudgetSweep;
import org.legodnn.demo.CompositionMeter;
import org.legodnn.demo.DemoReport;
import org.legodnn.demo.DemoRow;
import org.legodnn.demo.LiveSwitchDrill;
import org.legodnn.demo.LoadDrill;
import org.legodnn.graph.analysis.GraphAnalysis;
import org.legodnn.kernels.Parallel;
import org.legodnn.kernels.Simd;
import org.legodnn.nn.data.Batch;
import org.legodnn.nn.data.DataCatalog;
import org.legodnn.nn.data.DataLoader;
import org.legodnn.nn.data.Dataset;
import org.legodnn.nn.task.Classification;
import org.legodnn.nn.task.Task;
import org.legodnn.nn.train.TaskBar;
import org.legodnn.nn.train.TaskProgress;
import org.legodnn.report.TradeoffPlot;
import org.legodnn.report.TradeoffPoint;
import org.legodnn.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The whole of LegoDNN in one command, on what ships with the project: the Fashion-MNIST ResNet-20 teacher is
 * cut into blocks, pruned, retrained briefly and profiled; then a sweep of budgets is solved, each chosen
 * composition swapped into the running model and measured, and a few switches happen under live inference.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run LegoDNN end to end on the shipped teacher (CIFAR ResNet-20, Fashion-MNIST; with --task, the"
                + " teacher shipped for that task on its data set, measured by its metric): offline stage"
                + " with short retraining, latency profiling, a sweep of latency and memory budgets (each composition"
                + " measured after it is swapped in), live switches under concurrent inference.",
            "Writes DIR/store (the block store), DIR/report.json and DIR/tradeoff.png (accuracy against latency and"
                + " memory, with the Pareto front)."})
public final class DemoCommand implements Callable<Integer> {

    private static final double MIB = 1024 * 1024;

    @Spec
    private CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the store and the report go (default: ${DEFAULT-VALUE}).")
    private Path out = Path.of("legodnn-demo");

    @Mixin
    private TaskOption taskOption = new TaskOption();

    @Option(names = "--retrain-images", paramLabel = "N", description = "Training images for retraining (default: ${DEFAULT-VALUE}).")
    private int retrainImages = 3072;

    @Option(names = "--epochs", paramLabel = "E", description = "Retraining epochs (default: ${DEFAULT-VALUE}).")
    private int epochs = 2;

    @Option(names = "--lr", paramLabel = "LR", description = "Adam learning rate for retraining (default: ${DEFAULT-VALUE}; the offline stage uses the"
            + " original's 3e-4, which two short epochs leave far from converged).")
    private double lr = 1e-3;

    @Option(names = "--test-images", paramLabel = "N", description = "Test images for profiling and measuring (default: ${DEFAULT-VALUE}).")
    private int testImages = 1000;

    @Option(names = "--inference-threads", paramLabel = "N", description = "Threads serving inference during the"
            + " live switches (default: ${DEFAULT-VALUE}).")
    private int inferenceThreads = 2;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: all cores).")
    private Integer threads;

    @Option(names = "--load-seconds", paramLabel = "S", description = "Add a last section: serve under a latency policy"
            + " while a competing CPU load runs for S seconds (as long again before and after it). Default 0: off, since"
            + " on a small shared machine the measured slowdown is noisy and differs between compositions.")
    private double loadSeconds = 0;

    @Override
    public Integer call() throws Exception {
        Task task = taskOption.task(spec);
        TeacherOptions.Shipped shipped = TeacherOptions.shipped(task, spec.commandLine());
        if (retrainImages < 10 || epochs < 0 || !(lr > 0) || testImages < 1 || inferenceThreads < 1 || (threads != null && threads < 1)
                || !(loadSeconds >= 0) || loadSeconds > 600) {
            throw new ParameterException(spec.commandLine(), "--retrain-images must be >= 10, --epochs >= 0, --lr > 0,"
                    + " --test-images, --inference-threads and --threads >= 1, --load-seconds from 0 to 600");
        }
        int previous = Parallel.threads();
        try {
            if (threads != null) {
                Parallel.setThreads(threads);
            }
            return run(System.out, task, shipped);
        } finally {
            Parallel.setThreads(previous);
        }
    }

    private int run(PrintStream o, Task task, TeacherOptions.Shipped shipped) throws Exception {
        long start = System.nanoTime();
        Map<String, Object> stages = new LinkedHashMap<>();
        boolean classifier = task == Classification.TASK;
        String what = classifier ? "CIFAR ResNet-20 teacher on Fashion-MNIST"
                : shipped.architecture() + " teacher on " + task.defaultDataset() + ", task " + task.name() + " ("
                        + task.metricName() + ")";
        String metric = classifier ? "acc" : task.metricName();
        o.printf(Locale.ROOT, "LegoDNN demo: %s; Java %s, %d compute threads, %d-bit SIMD%n", what,
                Runtime.version().feature(), Parallel.threads(), Simd.bits());

        o.println("\n[1/5] data and teacher");
        TeacherOptions teacher = new TeacherOptions();
        teacher.model = "default";
        teacher.taskOption = taskOption;
        teacher.dataset = task.defaultDataset();
        DataCatalog.Source source = DataCatalog.open(teacher.dataset, null, o);
        Dataset train = OfflineStages.train(source, retrainImages);
        Dataset test = OfflineStages.test(source, testImages);
        // the stages' lines stay in the demo's output; on a terminal a live bar shows how far each stage is
        TaskProgress progress = System.console() != null ? new TaskBar(o, true, 30) : TaskProgress.notesOn(o);
        long t = System.nanoTime();
        StoreContents c = OfflineStages.extract(teacher, teacher.load(train, source.normalize()), progress);
        stages.put("extract_s", seconds(t));

        o.println("\n[2/5] retrain every descendant on the teacher's block features");
        t = System.nanoTime();
        c = OfflineStages.retrain(c, train, new RetrainOptions(epochs, 128, lr, 0.1, 0), progress);
        stages.put("retrain_s", seconds(t));

        o.println("\n[3/5] profile " + (classifier ? "accuracy" : task.metricName()) + " (3 environments) and latency");
        t = System.nanoTime();
        c = OfflineStages.profile(c, test, 256, progress);
        progress.end();
        stages.put("profile_s", seconds(t));
        Path store = out.resolve("store");
        BlockStore.write(store, c);
        OfflineStages.table(c.profiles(), c.latency(), o);
        o.println("store: " + OfflineStages.absolute(store));

        o.println("\n[4/5] sweep budgets: solve, swap in, measure");
        t = System.nanoTime();
        BlockSwitcher switcher = new BlockSwitcher(StoreDescendants.open(store), new int[c.blocks().size()]);
        LegoDnnRuntime runtime = new LegoDnnRuntime(switcher, c.profiles(), c.latency(),
                GraphAnalysis.peakActivationBytes(c.teacher()), LegoDnnRuntime.Settings.defaults());
        CompositionMeter meter = new CompositionMeter(task, test.classes(), batches(test, c, 256),
                Tensor.randn(new Random(1), 1, test.channels(), test.height(), test.width()),
                new LatencyProfiler.Settings(10, 40, 1000, 0, 42));
        meter.latency(runtime); // JIT warm-up of the live model before the first measurement
        Recalibration.Result recal = runtime.recalibrate(new LatencyProfiler.Settings(5, 20, 500, 0, 3));
        o.printf(Locale.ROOT, "recalibrated: the live model's blocks run at %.3fx their profiled latency (%d of %d"
                + " blocks kept); the optimizer now budgets with that%n", recal.factor(), recal.keptCount(),
                recal.ratios().length);
        stages.put("recalibration_factor", recal.factor());
        ScalingProblem free = runtime.problem(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
        List<DemoRow> rows = new ArrayList<>();
        o.printf(Locale.ROOT, "%-12s %-10s %-10s %-19s %8s %8s %8s %8s %7s %7s %9s%n", "budget", "lat.ms", "mem.MiB",
                "selection", "est." + metric, metric, "est.ms", "ms", "MiB", "swap.ms", "loaded.kB");
        for (BudgetSweep.Budget b : BudgetSweep.plan(free, 5, 3)) {
            UpdateResult u = runtime.update(b.latencyMs(), b.memoryBytes());
            DemoRow r = new DemoRow(b, u, meter.accuracy(runtime), meter.latency(runtime));
            rows.add(r);
            o.printf(Locale.ROOT, "%-12s %-10s %-10s %-19s %7.2f%% %7.2f%% %8.3f %8.3f %7.3f %7.1f %9.1f%s%n",
                    b.label(), budget(b.latencyMs(), 1), budget(b.memoryBytes(), MIB), BudgetSweep.label(u.selection()),
                    100 * u.estimatedAccuracy(), 100 * r.measuredAccuracy(), u.latencyMs(),
                    r.measuredLatency().medianMs(), u.memoryBytes() / MIB, u.swapMs(), u.bytesSwapped() / 1e3,
                    u.relaxed() ? " relaxed" : "");
        }
        stages.put("sweep_s", seconds(t));
        DemoRow worst = rows.stream().max((a, b) -> Double.compare(a.accuracyGapPoints(), b.accuracyGapPoints()))
                .orElseThrow();
        Profiles profiled = c.profiles();
        long withinNoise = rows.stream().filter(r -> AccuracyEstimate.of(profiled, r.update().selection())
                .agreesOnProfilingImages(r.measuredAccuracy())).count();
        String named = classifier ? "accuracy" : task.metricName();
        o.printf(Locale.ROOT, "selection = descendant per block (0 original .. %d = sparsity %s); %s measured on"
                        + " the %d profiling test images; largest |estimated - measured| %s: %.2f points (%s);"
                        + " %d of %d rows within the error the profile states (optimize --json: accuracy_noise)%n",
                c.sparsities().length - 1, c.sparsities()[c.sparsities().length - 1], named, test.size(), named,
                worst.accuracyGapPoints(), worst.budget().label(), withinNoise, rows.size());

        o.printf(Locale.ROOT, "%n[5/5] live switches while %d threads serve inference%n", inferenceThreads);
        t = System.nanoTime();
        List<double[]> switches = new ArrayList<>();
        for (int k = rows.size() - 1; k >= 0; k -= 2) {
            switches.add(new double[] {rows.get(k).budget().latencyMs(), rows.get(k).budget().memoryBytes()});
        }
        LiveSwitchDrill.Report drill = LiveSwitchDrill.run(runtime, singles(test, c, 64), inferenceThreads, switches,
                300, 7);
        for (UpdateResult u : drill.updates()) {
            o.printf(Locale.ROOT, "switch to %-19s swap %6.1f ms, %4d descendants loaded (%8.1f kB), %d reused%n",
                    BudgetSweep.label(u.selection()), u.swapMs(), u.swap().descendantsLoaded(), u.bytesSwapped() / 1e3,
                    u.swap().descendantsReused());
        }
        o.printf(Locale.ROOT, "%d inferences in %.1f s during %d switches; %d recomputed on the composition they"
                        + " reported: %d differed%n", drill.inferences(), drill.seconds(), drill.updates().size(),
                drill.checked(), drill.mismatches());
        stages.put("switch_s", seconds(t));

        LoadDrill.Report load = null;
        if (loadSeconds > 0) {
            // one engine thread and one busy thread per core: every inference shares its core, about half the speed
            int loadThreads = Runtime.getRuntime().availableProcessors();
            int engineThreads = Parallel.threads();
            Parallel.setThreads(1);
            Recalibration.Result calm = runtime.recalibrate(new LatencyProfiler.Settings(5, 20, 500, 0, 3));
            double budgetMs = 1.1 * runtime.problem(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY)
                    .latencyOf(new int[c.blocks().size()]);
            o.printf(Locale.ROOT, "%n[+] serve within %.3f ms (ServingPolicy.keepWithin) on one engine thread"
                    + " (recalibrated: %.2fx the profile) while a competing load of %d busy threads runs for %.1f s%n",
                    budgetMs, calm.factor(), loadThreads, loadSeconds);
            t = System.nanoTime();
            try {
                load = LoadDrill.run(runtime, singles(test, c, 1).get(0), budgetMs, Double.MAX_VALUE, loadSeconds,
                        loadSeconds, loadThreads);
            } finally {
                Parallel.setThreads(engineThreads);
            }
            o.printf(Locale.ROOT, "%7s %5s %10s  %s%n", "t.s", "load", "median.ms", "composition");
            for (LoadDrill.Sample s : load.samples()) {
                o.printf(Locale.ROOT, "%7.2f %5s %10.3f  %s%n", s.atSeconds(), s.loaded() ? "on" : "", s.medianMs(),
                        BudgetSweep.label(s.selection()));
            }
            StringBuilder plans = new StringBuilder();
            for (ServingPlan p : load.plans()) {
                plans.append(plans.length() == 0 ? "" : " -> ").append(String.format(Locale.ROOT, "%.2fx", p.slowdown()));
            }
            o.printf(Locale.ROOT, "%d plans, at measured slowdowns %s%n", load.plans().size(), plans);
            stages.put("load_s", seconds(t));
        }

        List<TradeoffPoint> points = new ArrayList<>(BudgetSweep.tradeoffs(free, c.profiles().teacherAccuracy(), 600, 30, 7));
        for (DemoRow r : rows) {
            points.add(BudgetSweep.point(free, r.update().selection(), c.profiles().teacherAccuracy()).asChosen()
                    .withMeasured(r.measuredAccuracy()));
        }
        Path plot = out.resolve("tradeoff.png");
        TradeoffPlot.write(points, String.format(Locale.ROOT, "LegoDNN: %s, %d blocks x %d descendants (estimates;"
                + " measured where chosen)", classifier ? "CIFAR ResNet-20 on Fashion-MNIST" : shipped.architecture() + " on "
                + task.defaultDataset(), c.blocks().size(), c.sparsities().length), named, plot);
        stages.put("total_s", seconds(start));

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("format", DemoReport.FORMAT);
        report.put("version", 1);
        report.put("date", Instant.now().toString());
        report.put("java", Runtime.version().toString());
        report.put("compute_threads", Parallel.threads());
        report.put("simd_bits", Simd.bits());
        report.put("task", task.name());
        report.put("metric", task.metricName());
        report.put("retrain_images", train.size());
        report.put("epochs", epochs);
        report.put("test_images", test.size());
        report.put("teacher_accuracy", c.profiles().teacherAccuracy());
        report.put("teacher_latency_ms", c.latency().wholeMs());
        report.put("teacher_bytes", c.profiles().teacherBytes());
        report.put("stages", stages);
        List<Object> rowJson = new ArrayList<>();
        for (DemoRow r : rows) {
            rowJson.add(DemoReport.row(r));
        }
        report.put("rows", rowJson);
        report.put("largest_accuracy_gap_points", worst.accuracyGapPoints());
        report.put("rows_within_stated_noise", withinNoise);
        report.put("live_switching", DemoReport.drill(drill, inferenceThreads));
        if (load != null) {
            report.put("load", DemoReport.load(load));
        }
        report.put("plot", plot.getFileName().toString());
        Path json = out.resolve("report.json");
        DemoReport.write(report, json);
        o.printf(Locale.ROOT, "%nreport: %s%nplot:   %s%ndone in %.0f s%n", OfflineStages.absolute(json),
                OfflineStages.absolute(plot), seconds(start));
        return drill.mismatches() == 0 ? 0 : 1;
    }

    /** The test images as the profiler batched them, normalized for the teacher. */
    private static List<Batch> batches(Dataset test, StoreContents c, int size) {
        List<Batch> out = new ArrayList<>();
        try (DataLoader loader = new DataLoader(test, DataLoader.Settings.evaluation(size, c.normalize()));
             DataLoader.Epoch epoch = loader.epoch(0)) {
            while (epoch.hasNext()) {
                out.add(epoch.next());
            }
        }
        return out;
    }

    /** The first {@code n} test images, one per tensor, as a phone would submit them. */
    private static List<Tensor> singles(Dataset test, StoreContents c, int n) {
        List<Tensor> out = new ArrayList<>();
        for (Batch b : batches(test, c, 1)) {
            out.add(b.images());
            if (out.size() == n) {
                break;
            }
        }
        return out;
    }

    private static String budget(double v, double unit) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v / unit) : "-";
    }

    private static double seconds(long since) {
        return Math.round((System.nanoTime() - since) / 1e8) / 10.0;
    }
}
