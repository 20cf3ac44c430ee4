package org.legodnn.core.online;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.legodnn.core.latency.LatencyProfile;
import org.legodnn.core.latency.LatencyProfiler;
import org.legodnn.core.latency.LatencyStats;
import org.legodnn.core.latency.Recalibration;
import org.legodnn.core.offline.AccuracyEstimate;
import org.legodnn.core.offline.Profiles;
import org.legodnn.core.optimize.BranchAndBound;
import org.legodnn.core.optimize.RelaxPolicy;
import org.legodnn.core.optimize.Relaxation;
import org.legodnn.core.optimize.RelaxedSelection;
import org.legodnn.core.optimize.ScalingProblem;
import org.legodnn.core.optimize.Selection;
import org.legodnn.core.prune.BlockOptions;
import org.legodnn.core.prune.ComposedModel;
import org.legodnn.core.prune.Descendant;
import org.legodnn.core.prune.Precision;
import org.legodnn.graph.Graph;
import org.legodnn.graph.ValueInfo;
import org.legodnn.graph.onnx.OnnxExporter;
import org.legodnn.tensor.Tensor;

/**
 * LegoDNN's online stage behind one call: {@link #update} takes a latency and a memory budget, solves the
 * selection problem exactly ({@link BranchAndBound}, with {@link Relaxation} when the budgets cannot be met)
 * and hot-swaps the chosen descendants into the running model ({@link BlockSwitcher}) while other threads
 * keep calling {@link #infer}.
 *
 * <p>The optimizer sees the store's profiles: accuracy drops, stored bytes and the latency profile — which
 * {@link #recalibrate} rescales to what the live model now measures, as the original's online stage does.
 */
public final class LegoDnnRuntime implements AutoCloseable {

    /**
     * How the runtime chooses.
     *
     * @param measure      what a memory budget counts
     * @param relax        which budgets to loosen when nothing fits them ({@link RelaxPolicy}; by default only
     *                     latency: memory is never exceeded)
     * @param switchWeight λ: objective units (accuracy fraction) per byte to load from the store; 0 ignores the
     *                     cost of switching, as the original does
     * @param keepNegativeDrops take negative profiled accuracy drops at face value, as the original does;
     *                     otherwise they count as 0 ({@link StoreProblem#clampDrops})
     */
    public record Settings(MemoryMeasure measure, RelaxPolicy relax, double switchWeight, boolean keepNegativeDrops) {

        public Settings {
            if (measure == null || relax == null) {
                throw new IllegalArgumentException("LegoDnnRuntime: memory measure and relax policy are required");
            }
            if (!(switchWeight >= 0) || Double.isInfinite(switchWeight)) {
                throw new IllegalArgumentException("LegoDnnRuntime: switch weight " + switchWeight
                        + " (expected finite and >= 0)");
            }
        }

        /**
         * Parameter bytes, latency loosened when nothing fits (memory never), switching free (as the original),
         * negative drops counted as 0.
         */
        public static Settings defaults() {
            return new Settings(MemoryMeasure.PARAMETERS, RelaxPolicy.DEFAULT, 0, false);
        }

        /** These settings with relax policy {@code relax}. */
        public Settings withRelax(RelaxPolicy relax) {
            return new Settings(measure, relax, switchWeight, keepNegativeDrops);
        }
    }

    private final BlockSwitcher switcher;
    private final Profiles profiles;
    private final long activationBytes;
    private final Settings settings;
    private volatile LatencyProfile latency;
    /** The loop that keeps to a serving policy, or null while the caller chooses with {@link #update}. */
    private volatile Adaptation adaptation;
    /** What the runtime closes after its switcher (the device it serves on, when it opened one). */
    private final List<AutoCloseable> owned = new CopyOnWriteArrayList<>();

    /**
     * A runtime over {@code switcher}'s model, choosing by {@code profiles} and {@code latency}.
     *
     * @param activationBytes the teacher's peak activation bytes at batch 1 (used with
     *                        {@link MemoryMeasure#PARAMETERS_AND_ACTIVATIONS})
     */
    public LegoDnnRuntime(BlockSwitcher switcher, Profiles profiles, LatencyProfile latency, long activationBytes,
                          Settings settings) {
        if (profiles.blocks() != switcher.selection().length) {
            throw new IllegalArgumentException("LegoDnnRuntime: profiles for " + profiles.blocks()
                    + " blocks, the model has " + switcher.selection().length);
        }
        this.switcher = switcher;
        this.profiles = profiles;
        this.latency = latency;
        this.activationBytes = activationBytes;
        this.settings = settings;
    }

    /**
     * Runs the live composition on {@code x}; safe from any number of threads, during updates too. Under a serving
     * policy ({@link #keepWithin}) the call is timed, and the one that notices the device's speed has changed
     * re-plans and swaps before returning.
     */
    public Tensor infer(Tensor x) {
        Adaptation a = adaptation;
        return a == null ? switcher.infer(x) : a.infer(x);
    }

    /**
     * From now on keeps the served model within {@code policy}: plans for it at once, then follows the measured
     * latency of what it serves (see {@link ServingPolicy}). A later {@link #update} hands the choice back to the
     * caller.
     *
     * @throws InfeasibleBudgetException when nothing fits the policy's memory limit
     * @throws IOException               when a descendant cannot be loaded
     */
    public void keepWithin(ServingPolicy policy) throws IOException {
        keepWithin(policy, System::nanoTime);
    }

    /** {@link #keepWithin(ServingPolicy)} on {@code clock} (nanoseconds), which tests simulate. */
    synchronized void keepWithin(ServingPolicy policy, LongSupplier clock) throws IOException {
        adaptation = null;
        adaptation = new Adaptation(this, policy, clock);
    }

    /** The plans made under the serving policy so far (empty without one), oldest first. */
    public List<ServingPlan> plans() {
        Adaptation a = adaptation;
        return a == null ? List.of() : a.plans();
    }

    /** The switcher, for callers that want the composition an inference ran on. */
    public BlockSwitcher switcher() {
        return switcher;
    }

    /**
     * The name of the metric the store's accuracies hold, so that what {@link #estimate()} and
     * {@link #update} report can be named: {@code top1} for a classifier, {@code mIoU} for segmentation.
     */
    public String metric() {
        return profiles.metric();
    }

    /**
     * Each block's options in the order selections index them: every sparsity in fp32, then in each further
     * precision the store holds, so that a selection can be told in sparsities and precisions.
     */
    public BlockOptions options() {
        return profiles.options();
    }

    /**
     * The live composition's expected accuracy with the error the profile itself states for it, so that a caller
     * knows what measuring it should give ({@link AccuracyEstimate}).
     */
    public AccuracyEstimate estimate() {
        return AccuracyEstimate.of(profiles, switcher.selection());
    }

    /** The latency profile the optimizer uses now (recalibrated or as profiled). */
    public LatencyProfile latency() {
        return latency;
    }

    /** The selection problem for these budgets, as {@link #update} poses it now. */
    public ScalingProblem problem(double latencyBudgetMs, double memoryBudgetBytes) {
        ScalingProblem p = StoreProblem.of(profiles, latency, settings.measure(), activationBytes,
                settings.keepNegativeDrops(), latencyBudgetMs, memoryBudgetBytes);
        if (settings.switchWeight() == 0) {
            return p;
        }
        double[][] bytes = new double[p.blocks()][];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = new double[p.options(i)];
            for (int j = 0; j < bytes[i].length; j++) {
                bytes[i][j] = switcher.isLoaded(i, j) ? 0 : profiles.row(i, j).sizeBytes();
            }
        }
        return new ScalingProblem(p.accuracyDrop(), p.latency(), p.memory(), p.frameLatency(), p.frameMemory(),
                p.latencyBudget(), p.memoryBudget(), bytes, settings.switchWeight());
    }

    /**
     * Chooses the most accurate composition within the budgets and swaps it in.
     *
     * @param latencyBudgetMs   the most latency allowed at batch 1, milliseconds
     * @param memoryBudgetBytes the most memory allowed, bytes, as {@link Settings#measure()} counts it
     * @throws InfeasibleBudgetException when no composition meets the budgets that the relax policy holds (the
     *                                   message gives the fastest latency and the smallest memory there are)
     * @throws IOException               when a descendant cannot be loaded (the live model is then unchanged)
     */
    public synchronized UpdateResult update(double latencyBudgetMs, double memoryBudgetBytes) throws IOException {
        adaptation = null;
        return choose(latencyBudgetMs, memoryBudgetBytes);
    }

    /** {@link #update} without leaving the serving policy: what {@link Adaptation} plans with. */
    synchronized UpdateResult choose(double latencyBudgetMs, double memoryBudgetBytes) throws IOException {
        ScalingProblem p = problem(latencyBudgetMs, memoryBudgetBytes);
        long t0 = System.nanoTime();
        RelaxedSelection r = Relaxation.solve(p, settings.relax());
        double solveMs = (System.nanoTime() - t0) / 1e6;
        Selection s = r.selection();
        if (!s.feasible()) {
            throw new InfeasibleBudgetException(String.format(Locale.ROOT,
                    "no composition meets %.3f ms and %.0f bytes with relax policy %s: the fastest needs %.3f ms, the"
                            + " smallest %.0f bytes", latencyBudgetMs, memoryBudgetBytes,
                    settings.relax().name().toLowerCase(Locale.ROOT), p.minLatency(), p.minMemory()));
        }
        int[] choice = s.choice();
        SwitchReport swap = switcher.switchTo(choice);
        BlockOptions options = profiles.options();
        double[] sparsities = new double[choice.length];
        List<Precision> precisions = new ArrayList<>(choice.length);
        for (int i = 0; i < choice.length; i++) {
            sparsities[i] = options.sparsity(choice[i]);
            precisions.add(options.precision(choice[i]));
        }
        return new UpdateResult(choice, sparsities, precisions, s.accuracyDrop(), profiles.teacherAccuracy() - s.accuracyDrop(),
                s.latency(), s.memory(), r.latencyBudget(), r.memoryBudget(), r.relaxed(), solveMs, swap);
    }

    /**
     * Measures the live composition's blocks inside the served model (step by step, as a CPU profile measures
     * them) and rescales the latency profile by the ratio to the offline figures ({@link Recalibration}), so later
     * updates budget with what this device does now. When {@code measuring.jitWarmupMs()} is positive the live
     * model first serves untimed for that long, so that a fresh JVM's cold kernels are not what is measured.
     */
    public synchronized Recalibration.Result recalibrate(LatencyProfiler.Settings measuring) {
        Composition c = switcher.composition();
        Tensor x = Tensor.randn(new Random(measuring.seed()), switcher.model().inputs().get(0).concreteShape());
        long until = System.nanoTime() + (long) (measuring.jitWarmupMs() * 1e6);
        while (System.nanoTime() < until) {
            infer(x);
        }
        double[][] ms = switcher.timeLive(c, x, measuring.warmupRuns(), Math.max(3, measuring.timedRuns()));
        double[] observed = new double[c.selection().length];
        for (int i = 0; i < observed.length; i++) {
            double[] column = new double[ms.length];
            for (int k = 0; k < ms.length; k++) {
                column[k] = ms[k][i];
            }
            observed[i] = LatencyStats.of(column).medianMs();
        }
        Recalibration.Result r = Recalibration.scale(latency, observed, c.selection());
        latency = r.profile();
        return r;
    }

    /**
     * The live composition as one graph: the frame with the live descendant in every block, PyTorch weight names,
     * the batch dimension open, so that it runs anywhere an ONNX model runs ({@link #export}).
     */
    public Graph compositionGraph() {
        Composition c = switcher.composition();
        List<List<Descendant>> one = new ArrayList<>(c.descendants().size());
        for (Descendant d : c.descendants()) {
            one.add(List.of(d));
        }
        Graph g = new ComposedModel(switcher.model(), switcher.blocks(), one).graph();
        Map<String, int[]> open = new LinkedHashMap<>();
        for (ValueInfo in : g.inputs()) {
            int[] s = in.shape();
            s[0] = -1;
            open.put(in.name(), s);
        }
        return g.withInputShapes(open);
    }

    /**
     * Writes the live composition as an ONNX model ({@link #compositionGraph}: dynamic batch, PyTorch names) to
     * {@code onnx}, through a temporary file so that a crash never leaves half a model.
     */
    public void export(Path onnx) throws IOException {
        OnnxExporter.write(compositionGraph(), onnx);
    }

    /** Hands {@code resource} (e.g. the device the model runs on) to the runtime, which closes it after its model. */
    public void closeWith(AutoCloseable resource) {
        owned.add(resource);
    }

    /**
     * Frees what the model holds on its device (nothing on the CPU; buffers and weights on OpenCL) once the
     * inferences running now return, then closes what was handed over with {@link #closeWith}, in reverse order.
     * Later calls to {@link #infer} fail.
     */
    @Override
    public void close() {
        switcher.close();
        RuntimeException failure = null;
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("LegoDnnRuntime.close: " + e.getMessage(), e);
                }
            }
        }
        owned.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
