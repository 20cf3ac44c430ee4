package org.legodnn.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.legodnn.LegoDnn;
import org.legodnn.core.latency.LatencyProfile;
import org.legodnn.core.latency.LatencyProfiler;
import org.legodnn.core.latency.Recalibration;
import org.legodnn.core.offline.AccuracyEstimate;
import org.legodnn.core.offline.BlockStore;
import org.legodnn.core.offline.Profiles;
import org.legodnn.core.offline.StoredBlocks;
import org.legodnn.core.online.LegoDnnRuntime;
import org.legodnn.core.online.MemoryMeasure;
import org.legodnn.core.online.StoreProblem;
import org.legodnn.core.optimize.BranchAndBound;
import org.legodnn.core.optimize.OriginalProfiles;
import org.legodnn.core.optimize.RelaxPolicy;
import org.legodnn.core.optimize.Relaxation;
import org.legodnn.core.optimize.RelaxedSelection;
import org.legodnn.core.optimize.ScalingProblem;
import org.legodnn.core.optimize.Selection;
import org.legodnn.core.prune.BlockOptions;
import org.legodnn.core.prune.Precision;
import org.legodnn.demo.BudgetSweep;
import org.legodnn.graph.analysis.GraphAnalysis;
import org.legodnn.report.TradeoffPlot;
import org.legodnn.report.TradeoffPoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** LegoDNN's run-time decision on its own: the most accurate composition of descendants within two budgets. */
@Command(name = "optimize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Pick, by exact branch and bound, the composition of block descendants with the smallest summed"
                + " accuracy drop whose estimated latency and memory fit the budgets.",
            "--profiles is a block store written by offline/profile, or a directory with the original LegoDNN's five"
                + " profile files (server-/edge-blocks-metrics.csv, server-/edge-teacher-model-metrics.yaml, ...).",
            "When no composition meets the budgets, --relax says which may be loosened (in steps of 5%% of the original"
                + " model's): latency (the default; memory is a hard limit), memory (the original LegoDNN's order:"
                + " memory first, then latency), both, or none; the answer is reported as relaxed. When nothing can fit,"
                + " it is an error that names the fastest latency and the smallest memory there are.",
            "JSON: {\"selection\": [sparsity per block], \"accuracy_drop\": a, \"latency_ms\": t, \"memory_bytes\": m,"
                + " \"relaxed\": bool, \"solve_ms\": s}; from a block store also \"precisions\": fp32 or int8 per block,"
                + " \"metric\": the name of the metric the"
                + " store's accuracies hold (top1 for a classifier, mIoU for segmentation), \"accuracy\": the estimate,"
                + " \"accuracy_noise\": the error the profile states for it on its own test images and"
                + " \"accuracy_sampling\": what to add on other images (fractions); \"recalibration_factor\": f with"
                + " --recalibrate, and \"gap\": g when --time-limit stopped the search before it proved the answer optimal"
                + " (g: how much more accuracy drop than the optimum it may have, at most)."})
public final class OptimizeCommand implements Callable<Integer> {

    private static final double MIB = 1024 * 1024;

    @Spec
    private CommandSpec spec;

    @Option(names = "--profiles", required = true, paramLabel = "DIR", description = "A block store or the original's profile files.")
    private Path profiles;

    @Option(names = "--latency-ms", required = true, paramLabel = "X", description = "Latency budget, milliseconds.")
    private double latencyMs;

    @Option(names = "--memory-mb", required = true, paramLabel = "Y", description = "Memory budget, MiB (1,048,576 bytes).")
    private double memoryMb;

    @Option(names = "--memory", paramLabel = "WHAT", description = "What memory counts: ${COMPLETION-CANDIDATES}"
            + " (default: ${DEFAULT-VALUE}, as the original; activations need a block store).")
    private MemoryMeasure measure = MemoryMeasure.PARAMETERS;

    @Option(names = "--relax", paramLabel = "POLICY", description = "Which budget may be loosened when nothing fits:"
            + " latency (default: memory is never exceeded), memory (the original's order), both, none.")
    private RelaxPolicy relax = RelaxPolicy.DEFAULT;

    @Option(names = "--no-relax", description = "The same as --relax none: fail when no composition meets the budgets.")
    private boolean noRelax;

    @Option(names = "--time-limit", paramLabel = "S", description = "Stop the search after S seconds and answer with the"
            + " best composition found and its proven gap (default: ${DEFAULT-VALUE}).")
    private double timeLimit = BranchAndBound.Limits.DEFAULT_MILLIS / 1000;

    @Option(names = "--keep-negative-drops", description = "Take negative accuracy drops at face value, as the original"
            + " LegoDNN does (default: count them as 0, never assuming a thinner block beats the original).")
    private boolean keepNegativeDrops;

    @Option(names = "--json", description = "Print one JSON object instead of a summary.")
    private boolean json;

    @Option(names = "--recalibrate", description = "With a block store: first time the served model on this machine"
            + " (every block original, timed inside the model after a JIT warm-up) and budget with the latency profile"
            + " rescaled by how much slower or faster it runs here than profiled; prints that factor.")
    private boolean recalibrate;

    @Option(names = "--plot", paramLabel = "F.png", description = "Also draw the trade-off (every composition's estimate,"
            + " the Pareto front) with the chosen composition marked.")
    private Path plot;

    /** How the live model is timed for --recalibrate: 5 warm-up and 20 timed calls after 1 s of serving untimed. */
    static final LatencyProfiler.Settings RECALIBRATION = new LatencyProfiler.Settings(5, 20, 500, 1000, 3);

    /**
     * The problem read from DIR, with what is needed to report the answer (and plot it).
     *
     * @param recalibration how --recalibrate rescaled the latency profile, or null
     */
    private record Source(ScalingProblem problem, double[][] sparsity, String[][] precision, String what,
                          double teacherAccuracy, Recalibration.Result recalibration, Profiles profiles) {

        /** Whether some block offers more than fp32. */
        boolean mixed() {
            return profiles != null && profiles.options().mixed();
        }

        /** How the accuracies are named in text and on the plot: the store's metric, else "accuracy". */
        String label() {
            return profiles == null ? "accuracy" : OfflineStages.accuracyName(profiles.metric());
        }
    }

    @Override
    public Integer call() throws Exception {
        if (!(latencyMs > 0) || !(memoryMb > 0) || Double.isInfinite(latencyMs) || Double.isInfinite(memoryMb)) {
            throw new ParameterException(spec.commandLine(), "--latency-ms and --memory-mb must be positive numbers");
        }
        if (!(timeLimit > 0) || Double.isInfinite(timeLimit)) {
            throw new ParameterException(spec.commandLine(), "--time-limit must be a positive number of seconds");
        }
        if (!Files.isDirectory(profiles)) {
            throw new ParameterException(spec.commandLine(), "--profiles " + profiles + ": not a directory");
        }
        Source src = read(profiles, latencyMs, memoryMb * MIB);
        long t0 = System.nanoTime();
        RelaxPolicy policy = noRelax ? RelaxPolicy.NONE : relax;
        RelaxedSelection r = Relaxation.solve(src.problem(), policy,
                new BranchAndBound.Limits(Long.MAX_VALUE, timeLimit * 1000));
        double solveMs = (System.nanoTime() - t0) / 1e6;
        Selection s = r.selection();
        if (!s.feasible()) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "no composition meets %s ms and %s MiB with --relax %s (the fastest needs %.4f ms, the smallest"
                            + " %.3f MiB)%s", num(latencyMs), num(memoryMb), policy.name().toLowerCase(Locale.ROOT),
                    src.problem().minLatency(), src.problem().minMemory() / MIB,
                    policy == RelaxPolicy.NONE ? "; --relax latency or memory loosens a budget"
                            : "; raise --memory-mb or pass --relax memory"));
        }
        int[] choice = s.choice();
        if (plot != null) {
            ScalingProblem free = src.problem().withBudgets(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
            List<TradeoffPoint> points = new ArrayList<>(BudgetSweep.tradeoffs(free, src.teacherAccuracy(), 600, 30, 7));
            points.add(BudgetSweep.point(free, choice, src.teacherAccuracy()).asChosen());
            TradeoffPlot.write(points, String.format(Locale.ROOT, "LegoDNN: the choice for %s ms and %s MiB (estimates)",
                    num(latencyMs), num(memoryMb)), src.label(), plot);
        }
        List<Double> selection = new ArrayList<>();
        List<String> precisions = new ArrayList<>();
        for (int i = 0; i < choice.length; i++) {
            selection.add(src.sparsity()[i][choice[i]]);
            precisions.add(src.precision()[i][choice[i]]);
        }
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("selection", selection);
            if (src.profiles() != null) {
                o.put("precisions", precisions);
            }
            o.put("accuracy_drop", s.accuracyDrop());
            o.put("latency_ms", s.latency());
            o.put("memory_bytes", Math.round(s.memory()));
            o.put("relaxed", r.relaxed());
            if (src.profiles() != null) {
                AccuracyEstimate e = AccuracyEstimate.of(src.profiles(), choice);
                o.put("metric", src.profiles().metric());
                o.put("accuracy", e.accuracy());
                o.put("accuracy_noise", e.noise());
                o.put("accuracy_sampling", e.sampling());
            }
            o.put("solve_ms", solveMs);
            if (src.recalibration() != null) {
                o.put("recalibration_factor", src.recalibration().factor());
            }
            if (!s.optimal()) {
                o.put("gap", s.gap());
            }
            System.out.println(JSON.std.asString(o));
        } else {
            Recalibration.Result recal = src.recalibration();
            if (recal != null) {
                System.out.printf(Locale.ROOT, "recalibrated: the served model's blocks run at %.3fx their profiled"
                        + " latency here (%d of %d blocks kept); the budget is checked against the rescaled profile%n",
                        recal.factor(), recal.keptCount(), recal.ratios().length);
            }
            System.out.printf(Locale.ROOT, "%s%nselection (sparsity per block): %s%n%s drop %.4f, latency %.4f ms,"
                            + " memory %.3f MiB%s; solved in %.3f ms (%d nodes)%n", src.what(), selection,
                    src.label(), s.accuracyDrop(), s.latency(), s.memory() / MIB,
                    r.relaxed() ? String.format(Locale.ROOT, " (relaxed to %.4f ms, %.3f MiB)", r.latencyBudget(),
                            r.memoryBudget() / MIB) : "", solveMs, s.nodes());
            if (src.mixed()) {
                System.out.println("precision per block: " + precisions);
            }
            if (src.profiles() != null) {
                System.out.println("estimated " + src.label() + " " + AccuracyEstimate.of(src.profiles(), choice).describe());
            }
            if (!s.optimal()) {
                System.out.printf(Locale.ROOT, "stopped by --time-limit %s s before proving it optimal: at most %.6f more"
                        + " %s drop than the optimum%n", num(timeLimit), s.gap(), src.label());
            }
        }
        return 0;
    }

    private Source read(Path dir, double latencyBudget, double memoryBudget) throws IOException {
        if (Files.isRegularFile(dir.resolve("index.json"))) {
            StoredBlocks store = BlockStore.read(dir);
            Profiles p = store.profiles();
            LatencyProfile l = store.latency();
            if (p == null || l == null) {
                throw new IllegalStateException("block store " + dir + " has no " + (p == null ? "profiles" : "latency profile")
                        + " yet: run `legodnn profile --store " + dir + "`");
            }
            Recalibration.Result recal = null;
            if (recalibrate) {
                try (LegoDnnRuntime served = LegoDnn.open(dir)) {
                    recal = served.recalibrate(RECALIBRATION);
                }
                l = recal.profile();
            }
            long activations = measure == MemoryMeasure.PARAMETERS_AND_ACTIVATIONS
                    ? GraphAnalysis.peakActivationBytes(store.teacher()) : 0;
            BlockOptions options = p.options();
            double[][] sparsity = new double[p.blocks()][options.count()];
            String[][] precision = new String[p.blocks()][options.count()];
            for (int i = 0; i < sparsity.length; i++) {
                for (int j = 0; j < options.count(); j++) {
                    sparsity[i][j] = options.sparsity(j);
                    precision[i][j] = options.precision(j).label();
                }
            }
            return new Source(StoreProblem.of(p, l, measure, activations, keepNegativeDrops, latencyBudget, memoryBudget),
                    sparsity, precision, String.format(Locale.ROOT, "block store %s%s: %d blocks x %d descendants%s,"
                            + " latencies measured on %s", dir, store.task().isClassification() ? "" : " ("
                            + store.task().task() + ", " + store.task().metric() + ")", p.blocks(),
                            p.sparsities().length, options.mixed() ? " in " + String.join(" and ", options.labels()) : "",
                            l.backend()),
                    p.teacherAccuracy(), recal, p);
        }
        if (measure != MemoryMeasure.PARAMETERS) {
            throw new IllegalStateException("--memory " + measure + " needs a block store; " + dir
                    + " holds the original's profile files, which count parameters only");
        }
        if (recalibrate) {
            throw new IllegalStateException("--recalibrate needs a block store; " + dir + " holds the original's profile"
                    + " files, which carry no model to time on this machine");
        }
        OriginalProfiles o = OriginalProfiles.read(dir);
        ScalingProblem problem = o.problem(latencyBudget, memoryBudget);
        String[][] fp32 = new String[o.blocks()][];
        for (int i = 0; i < fp32.length; i++) {
            fp32[i] = new String[o.sparsity()[i].length];
            Arrays.fill(fp32[i], Precision.FP32.label());
        }
        return new Source(keepNegativeDrops ? problem : StoreProblem.clampDrops(problem), o.sparsity(), fp32,
                String.format(Locale.ROOT, "original LegoDNN profiles %s: %d blocks", dir, o.blocks()),
                Double.isNaN(o.teacherAccuracy()) ? 1 : o.teacherAccuracy(), null, null);
    }

    static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
