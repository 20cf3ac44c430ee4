package org.legodnn.core.latency;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.legodnn.core.blocks.Block;
import org.legodnn.core.prune.ComposedModel;
import org.legodnn.core.prune.Descendant;
import org.legodnn.graph.Graph;
import org.legodnn.graph.exec.opencl.OpenClExecution;
import org.legodnn.kernels.Parallel;
import org.legodnn.kernels.opencl.OpenClDevice;
import org.legodnn.nn.train.TaskProgress;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * LegoDNN's latency profiling: measures, on this machine, every block descendant and the whole model, so that
 * the run-time optimizer can estimate any composition's latency without running it.
 *
 * <p>On the CPU ({@link InModelTiming}) every block is timed inside the compiled model that is served, step by
 * step: the model with descendant j in every block runs, and each block's steps are summed, so that the frame
 * plus a composition's blocks add up to what the composition measures. Elsewhere (OpenCL), as the original does,
 * each descendant runs alone on a random tensor of its block's input shape for one model input
 * ({@link ProfilingBackend#runBlock}), and the whole model runs end to end with every block at descendant 0; the
 * frame's latency is the difference ({@link LatencyProfile#of}). Where they run is a {@link ProfilingBackend}:
 * the CPU by default, or an OpenCL device ({@link #profile(Graph, List, List, Settings, TaskProgress, String)}),
 * so that the optimizer can work from the latencies of the device the model will run on.
 *
 * <p>The JVM compiles the kernels only after many calls (a cold ResNet-20 runs ten times slower than a warm
 * one for its first few dozen calls), so before anything is timed the whole model runs repeatedly for
 * {@link Settings#jitWarmupMs}. Then every item (each descendant, block by block, and last the whole model)
 * gets {@link Settings#warmupRuns} untimed runs and up to {@link Settings#timedRuns} timed ones, each timed
 * alone with {@link System#nanoTime}; the median and the 10th/90th percentiles are kept. The kernels use
 * {@link Parallel#threads()} threads, which the profile records.
 *
 * <p>A time cap keeps large models affordable: warm-up stops once it has taken {@link Settings#maxMsPerItem},
 * and timing stops once the timed runs together have taken that long, after at least
 * {@code min(3, timedRuns)} of them.
 */
public final class LatencyProfiler {

    /** Timed runs made even past the time cap (fewer only when {@link Settings#timedRuns} asks for fewer). */
    private static final int MIN_TIMED_RUNS = 3;

    /** Where results go so that no run can be optimised away. */
    private static volatile Object sink;

    /**
     * How much to measure.
     *
     * @param warmupRuns   untimed runs before timing each item (a descendant or the whole model), at least 0
     * @param timedRuns    timed runs per item, at least 1
     * @param maxMsPerItem the time cap per item for warm-up and, separately, for timing, milliseconds (> 0)
     * @param jitWarmupMs  how long the whole model runs untimed before anything is measured, milliseconds
     *                     (>= 0; it runs at least once)
     * @param seed         seed of the random inputs
     */
    public record Settings(int warmupRuns, int timedRuns, double maxMsPerItem, double jitWarmupMs, long seed) {

        public Settings {
            if (warmupRuns < 0 || timedRuns < 1 || !(maxMsPerItem > 0) || !(jitWarmupMs >= 0)) {
                throw new IllegalArgumentException("LatencyProfiler.Settings: warm-up " + warmupRuns + ", timed "
                        + timedRuns + ", cap " + maxMsPerItem + " ms, JIT warm-up " + jitWarmupMs
                        + " ms (expected warm-up >= 0, timed >= 1, cap > 0, JIT warm-up >= 0)");
            }
        }

        /** 5 warm-up runs, 20 timed runs, at most 1 s per item for each, 2 s of JIT warm-up, seed 42. */
        public static Settings defaults() {
            return new Settings(5, 20, 1000, 2000, 42);
        }
    }

    private LatencyProfiler() {
    }

    /**
     * Profiles every descendant of every block of {@code model} and the whole model (descendants' current
     * weights, as {@link ComposedModel} runs them).
     *
     * @param descendants per block, its descendants (index 0 the original block)
     * @param log         a bar over the blocks and a kept line per block (null: silent)
     * @throws IllegalArgumentException when the descendants do not fit the blocks or the model's input shape
     *                                  has an open dimension besides the batch
     */
    public static LatencyProfile profile(Graph model, List<Block> blocks, List<List<Descendant>> descendants,
                                         Settings settings, TaskProgress log) {
        return profile(model, blocks, descendants, settings, log, LatencyProfile.CPU);
    }

    /**
     * {@link #profile(Graph, List, List, Settings, TaskProgress)} on the device that {@code device} names:
     * {@code "cpu"}, or an OpenCL device ({@code "opencl"}, {@code "opencl:N"}, {@code "opencl:NAME"}, as
     * {@link org.legodnn.kernels.opencl.OpenClDevice#open}), which is opened for the profile and closed after it. The profile records the device as its backend.
     *
     * @throws IllegalArgumentException when {@code device} is neither, or as the other overload
     * @throws org.legodnn.kernels.opencl.OpenClException with one line when the OpenCL device cannot be opened
     */
    public static LatencyProfile profile(Graph model, List<Block> blocks, List<List<Descendant>> descendants,
                                         Settings settings, TaskProgress log, String device) {
        ComposedModel composed = new ComposedModel(model, blocks, descendants); // checks the descendants fit
        if (device.equals(LatencyProfile.CPU)) {
            try (ProfilingBackend backend = new CompiledProfilingBackend(composed)) {
                return profile(backend, model, blocks, descendants, settings, log);
            }
        }
        if (!device.equals("opencl") && !device.startsWith("opencl:")) {
            throw new IllegalArgumentException("LatencyProfiler: device '" + device
                    + "' (expected cpu, opencl, opencl:N or opencl:NAME)");
        }
        try (OpenClDevice gpu = OpenClDevice.open(device);
             OpenClExecution ocl = new OpenClExecution(gpu);
             ProfilingBackend backend = new CompiledProfilingBackend(composed, ocl, ocl.name())) {
            return profile(backend, model, blocks, descendants, settings, log);
        }
    }

    private static LatencyProfile profile(ProfilingBackend backend, Graph model, List<Block> blocks,
                                          List<List<Descendant>> descendants, Settings settings,
                                          TaskProgress progress) {
        TaskProgress log = TaskProgress.orNone(progress);
        Random rnd = new Random(settings.seed());
        Tensor x = Tensor.randn(rnd, batchOne("model input", model.inputs().get(0).shape()));
        Work wholeModel = () -> backend.runWhole(x);
        log.begin("latency: JIT warm-up on " + backend.name(), 0);
        int jitRuns = warmUp(wholeModel, settings.jitWarmupMs());
        log.end();
        log.note(String.format(Locale.ROOT, "latency: JIT warm-up on %s, %d runs of the whole model %s, %d threads",
                backend.name(), jitRuns, Shapes.format(x.shape()), Parallel.threads()));
        if (backend instanceof InModelTiming inModel) {
            return profileInModel(inModel, backend.name(), blocks, descendants, x, settings, log);
        }
        List<List<LatencyStats>> rows = new ArrayList<>(blocks.size());
        log.begin("latency per block on " + backend.name(), blocks.size() + 1);
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            Tensor in = Tensor.randn(rnd, blockInput(model, b));
            List<LatencyStats> row = new ArrayList<>();
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "latency block-%d %s:", b.index(),
                    Shapes.format(in.shape())));
            for (int j = 0; j < descendants.get(i).size(); j++) {
                int block = i;
                int choice = j;
                LatencyStats s = time(() -> backend.runBlock(block, choice, in), settings);
                row.add(s);
                line.append(String.format(Locale.ROOT, " s%.2f %.3f ms", descendants.get(i).get(j).sparsity(),
                        s.medianMs()));
            }
            rows.add(row);
            log.note(line.toString());
            log.advance(i + 1);
        }
        // the frame is the small difference of two large figures: time the whole model three times as long
        LatencyStats whole = time(wholeModel, new Settings(settings.warmupRuns(), 3 * settings.timedRuns(),
                3 * settings.maxMsPerItem(), settings.jitWarmupMs(), settings.seed()));
        log.advance(blocks.size() + 1);
        log.end();
        LatencyProfile p = LatencyProfile.of(rows, whole, Parallel.threads(), backend.name());
        log.note(String.format(Locale.ROOT, "latency whole model: median %.3f ms (p10 %.3f, p90 %.3f, %d runs); frame"
                + " %.3f ms", whole.medianMs(), whole.p10Ms(), whole.p90Ms(), whole.samples(), p.frameMs()));
        return p;
    }

    /**
     * Every block inside the model: for each descendant index j, the model with descendant j in every block is
     * timed step by step ({@code timedRuns} calls after {@code warmupRuns}), each block's steps summed per call;
     * the whole model is the sum of all steps at j = 0, so the frame is what lies outside the blocks.
     */
    private static LatencyProfile profileInModel(InModelTiming inModel, String backend, List<Block> blocks,
                                                 List<List<Descendant>> descendants, Tensor x, Settings settings,
                                                 TaskProgress log) {
        int options = Integer.MAX_VALUE;
        for (List<Descendant> ds : descendants) {
            options = Math.min(options, ds.size());
        }
        List<List<LatencyStats>> rows = new ArrayList<>(blocks.size());
        for (int i = 0; i < blocks.size(); i++) {
            rows.add(new ArrayList<>());
        }
        LatencyStats whole = null;
        log.begin("latency in the model on " + backend, options);
        for (int j = 0; j < options; j++) {
            double[][] ms = inModel.timeComposition(j, x, settings.warmupRuns(), Math.max(MIN_TIMED_RUNS,
                    settings.timedRuns()));
            for (int i = 0; i < blocks.size(); i++) {
                rows.get(i).add(LatencyStats.of(column(ms, i)));
            }
            if (j == 0) {
                double[] total = new double[ms.length];
                for (int c = 0; c < ms.length; c++) {
                    for (double v : ms[c]) {
                        total[c] += v;
                    }
                }
                whole = LatencyStats.of(total);
            }
            log.advance(j + 1);
        }
        log.end();
        for (int i = 0; i < blocks.size(); i++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "latency block-%d (in the model):",
                    blocks.get(i).index()));
            for (int j = 0; j < options; j++) {
                line.append(String.format(Locale.ROOT, " s%.2f %.3f ms", descendants.get(i).get(j).sparsity(),
                        rows.get(i).get(j).medianMs()));
            }
            log.note(line.toString());
        }
        LatencyProfile p = LatencyProfile.of(rows, whole, Parallel.threads(), backend);
        log.note(String.format(Locale.ROOT, "latency whole model: median %.3f ms (p10 %.3f, p90 %.3f, %d runs); frame"
                + " %.3f ms", whole.medianMs(), whole.p10Ms(), whole.p90Ms(), whole.samples(), p.frameMs()));
        return p;
    }

    private static double[] column(double[][] ms, int k) {
        double[] out = new double[ms.length];
        for (int c = 0; c < ms.length; c++) {
            out[c] = ms[c][k];
        }
        return out;
    }

    /**
     * The live per-block latencies of {@code composed} at {@code selection}: per block, the median milliseconds
     * of its selected descendant run alone on a random input for one model input, as {@link #profile} measures
     * them; what {@link Recalibration#scale} compares with the profile. There is no JIT warm-up beyond
     * {@link Settings#warmupRuns}: the live model is warm already.
     *
     * @throws IllegalArgumentException when {@code selection} has not one entry per block
     */
    public static double[] observe(ComposedModel composed, int[] selection, Settings settings) {
        if (selection.length != composed.blocks().size()) {
            throw new IllegalArgumentException("LatencyProfiler.observe: selection of " + selection.length
                    + " entries (expected one per block: " + composed.blocks().size() + ")");
        }
        List<Block> blocks = composed.blocks();
        Random rnd = new Random(settings.seed());
        double[] ms = new double[blocks.size()];
        for (int i = 0; i < ms.length; i++) {
            Tensor in = Tensor.randn(rnd, blockInput(composed.model(), blocks.get(i)));
            int block = i;
            ms[i] = time(() -> composed.runBlock(block, selection[block], in), settings).medianMs();
        }
        return ms;
    }

    /** Runs {@code work} untimed for {@code ms} milliseconds, at least once; returns how many runs that took. */
    static int warmUp(Work work, double ms) {
        long cap = (long) Math.min(Long.MAX_VALUE / 2.0, ms * 1e6);
        long begin = System.nanoTime();
        int runs = 0;
        do {
            sink = work.run();
            runs++;
        } while (System.nanoTime() - begin < cap);
        return runs;
    }

    /**
     * Times any piece of work the way every item of a profile is timed (warm-up runs, then timed runs within
     * the caps of {@code settings}), so that a measured composition compares fairly with its estimate.
     */
    public static LatencyStats measure(java.util.function.Supplier<?> work, Settings settings) {
        return time(work::get, settings);
    }

    /** Warms {@code work} up, then times it, as {@link Settings} says. */
    static LatencyStats time(Work work, Settings settings) {
        long cap = (long) Math.min(Long.MAX_VALUE / 2.0, settings.maxMsPerItem() * 1e6);
        long begin = System.nanoTime();
        for (int k = 0; k < settings.warmupRuns() && System.nanoTime() - begin < cap; k++) {
            sink = work.run();
        }
        double[] samples = new double[settings.timedRuns()];
        int minimum = Math.min(MIN_TIMED_RUNS, settings.timedRuns());
        long spent = 0;
        int n = 0;
        while (n < samples.length && (n < minimum || spent < cap)) {
            long t0 = System.nanoTime();
            sink = work.run();
            long dt = System.nanoTime() - t0;
            spent += dt;
            samples[n++] = dt / 1e6;
        }
        return LatencyStats.of(Arrays.copyOf(samples, n));
    }

    /** One run of the thing measured; its result goes to {@link #sink}. */
    @FunctionalInterface
    interface Work {
        Object run();
    }

    /**
     * The input of block {@code b} for one model input: its traced shape with the leading dimension divided by the
     * traced batch, so that a block of a model that folds snippets into the batch (three per clip) runs the rows it
     * runs inside the model, not a third of them.
     */
    private static int[] blockInput(Graph model, Block b) {
        int[] s = batchOne("block " + b.index() + " input", b.inputShape());
        int[] traced = b.inputShape();
        int batch = model.inputs().get(0).concreteShape()[0];
        if (traced.length > 0 && batch > 0 && traced[0] > 0 && traced[0] % batch == 0) {
            s[0] = traced[0] / batch;
        }
        return s;
    }

    /** {@code shape} with its batch dimension set to 1; every other dimension must be fixed. */
    private static int[] batchOne(String what, int[] shape) {
        int[] s = shape.clone();
        if (s.length > 0) {
            s[0] = 1;
        }
        for (int d : s) {
            if (d < 1) {
                throw new IllegalArgumentException("LatencyProfiler: " + what + " shape " + Shapes.format(shape)
                        + " (expected every dimension but the batch to be fixed)");
            }
        }
        return s;
    }
}
