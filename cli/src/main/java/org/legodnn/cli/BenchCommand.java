package org.legodnn.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.legodnn.graph.Graph;
import org.legodnn.graph.analysis.GraphAnalysis;
import org.legodnn.graph.exec.CompiledGraph;
import org.legodnn.graph.exec.CpuExecution;
import org.legodnn.graph.exec.ExecutionDevice;
import org.legodnn.graph.exec.opencl.OpenClExecution;
import org.legodnn.graph.quant.Calibration;
import org.legodnn.graph.quant.StaticQuantizer;
import org.legodnn.graph.trace.Tracer;
import org.legodnn.kernels.Parallel;
import org.legodnn.kernels.opencl.OpenClDevice;
import org.legodnn.nn.Init;
import org.legodnn.nn.Module;
import org.legodnn.nn.models.ModelZoo;
import org.legodnn.nn.optim.SGD;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Times the engine on the workloads of DESIGN.md's peer table, under the same keys, so that our speed is read
 * beside ONNX Runtime's and PyTorch's without a JMH run: the median milliseconds per call after warm-up, on
 * models with random weights (torchvision's and He et al.'s architectures from the model zoo). Inference keys
 * time the model as inference runs it: traced once and compiled ({@link Workload#compile}); the training
 * step runs the modules' forward and backward.
 *
 * <p>With {@code --device opencl[:N|:NAME]} the inference keys run on that device instead
 * ({@link Workload#prepare}: the weights uploaded once, BatchNorm folded); one timed call uploads the input,
 * runs the model with every intermediate value in device memory and downloads the output, which is what a
 * caller of the OpenCL path pays per image. The training step has no OpenCL path: it is left out of the
 * default key set (a note on stderr and under the table), and naming it in {@code --keys} is a usage error,
 * so that one report never mixes CPU and device figures.
 *
 * <p>Each key warms up for at least {@code --warmup} calls and {@code --warmup-time} seconds, then is timed
 * call by call for at least {@code --runs} calls and {@code --time} seconds. Progress goes to stderr; with
 * {@code --json} stdout gets one JSON object from key to median milliseconds, and nothing else.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Median milliseconds per call of the standard workloads (random weights, after warm-up).",
            "Keys: resnet18_b1_224, mobilenet_v2_b1_224, cifar_resnet20_b1_32, cifar_resnet20_b128_32 (inference),"
                + " cifar_resnet20_int8_b1_32, cifar_resnet20_int8_b128_32 (the same model as an int8 QDQ model, as"
                + " quantize writes it), cifar_resnet20_train_step_b128 (forward, backward and an SGD step at batch 128).",
            "With --json prints one object {\"key\": ms, ...}; progress goes to stderr.",
            "With --device opencl the inference keys run on the OpenCL device and the training step is skipped.",
            "With --store DIR adds legodnn_served_b1 (the LegoDNN runtime's infer on that store's teacher, every block"
                + " at sparsity 0) and legodnn_compiled_b1 (the same composed graph compiled as run runs a model).",
            "With --model A.onnx,B.onnx times those files instead (in turns, keyed by file name)."})
public final class BenchCommand implements Callable<Integer> {

    /**
     * One workload of the contract: a zoo model, its input, and whether a call is an inference or a training
     * step. Public so that the JMH {@code ModelBenchmark} times the same models under the same keys.
     */
    public record Workload(String key, String model, int classes, int batch, int size, boolean trainStep,
                           boolean int8) {

        /** A fresh model with random weights (seeded), in eval mode for inference and train mode for a step. */
        public Module newModel(long seed) {
            Init.manualSeed(seed);
            Module m = ModelZoo.create(model, 3, classes);
            m.train(trainStep);
            return m;
        }

        /** A random input batch {@code [batch, 3, size, size]}. */
        public Tensor newInput(long seed) {
            return Tensor.randn(new Random(seed), batch, 3, size, size);
        }

        /**
         * The inference path that the keys time, on every device: {@code model} traced once at this workload's input
         * shape and compiled for {@code device} ({@link CompiledGraph}: BatchNorm folded, epilogues fused, weights
         * prepared once, buffers planned). Close it to free what the device holds.
         *
         * @throws IllegalArgumentException for the training step, which has no compiled path
         */
        public CompiledGraph compile(Module model, ExecutionDevice device) {
            if (trainStep) {
                throw new IllegalArgumentException("bench: " + key + " is a training step (expected an inference key:"
                        + " training runs eagerly on the CPU)");
            }
            return CompiledGraph.compile(graph(model), device);
        }

        /**
         * The graph that is timed: {@code model} traced at this workload's input shape; for an int8 key, traced for
         * any batch size and quantized as {@code legodnn quantize} does (int8 weights per output channel, uint8
         * activations, min-max ranges) on four seeded random batches, so that ours and ONNX Runtime run the same
         * QDQ model.
         */
        public Graph graph(Module model) {
            if (!int8) {
                return Tracer.trace(model, inputShape());
            }
            Graph traced = Tracer.trace(model, 1, 3, size, size)
                    .withInputShapes(Map.of(Tracer.INPUT, new int[] {-1, 3, size, size}));
            Random rnd = new Random(CALIBRATION_SEED);
            List<Tensor> batches = new ArrayList<>();
            for (int b = 0; b < 4; b++) {
                batches.add(Tensor.randn(rnd, 8, 3, size, size));
            }
            return StaticQuantizer.quantize(traced, batches, Calibration.MINMAX, line -> { }).graph();
        }

        /** The input shape, as the tracer and the ONNX exporter take it. */
        public int[] inputShape() {
            return new int[] {batch, 3, size, size};
        }
    }

    /** Every key, in the order they run. */
    public static final List<Workload> WORKLOADS = List.of(
            new Workload("resnet18_b1_224", "resnet18", 1000, 1, 224, false, false),
            new Workload("mobilenet_v2_b1_224", "mobilenet_v2", 1000, 1, 224, false, false),
            new Workload("cifar_resnet20_b1_32", "cifar_resnet20", 10, 1, 32, false, false),
            new Workload("cifar_resnet20_b128_32", "cifar_resnet20", 10, 128, 32, false, false),
            new Workload("cifar_resnet20_int8_b1_32", "cifar_resnet20", 10, 1, 32, false, true),
            new Workload("cifar_resnet20_int8_b128_32", "cifar_resnet20", 10, 128, 32, false, true),
            new Workload("cifar_resnet20_train_step_b128", "cifar_resnet20", 10, 128, 32, true, false));

    /** Seeds the calibration batches of the int8 keys. */
    private static final long CALIBRATION_SEED = 11;

    /** The workload named {@code key}. */
    public static Workload workload(String key) {
        for (Workload w : WORKLOADS) {
            if (w.key().equals(key)) {
                return w;
            }
        }
        throw new IllegalArgumentException("bench: unknown key '" + key + "' (known: " + keyNames() + ")");
    }

    private static String keyNames() {
        return String.join(", ", WORKLOADS.stream().map(Workload::key).toList());
    }

    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object {\"key\": median ms, ...} instead of a table.")
    private boolean json;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: all cores).")
    private Integer threads;

    @Option(names = "--device", paramLabel = DeviceSpec.LABEL,
            description = {"Where the inference keys run: cpu (default), or an OpenCL device as for run: the first"
                + " (opencl), the N-th (opencl:1) or the first whose name contains NAME (opencl:nvidia).",
                "On OpenCL the weights are uploaded once and one timed call is: upload the input, run the model on"
                + " the device, download the output. The training step has no OpenCL path: it is skipped (noted on"
                + " stderr and under the table; naming it in --keys is an error)."})
    private String device = "cpu";

    @Option(names = "--store", paramLabel = "DIR",
            description = "A block store (from offline): also time legodnn_served_b1 and legodnn_compiled_b1 on it.")
    private Path store;

    @Option(names = "--model", split = ",", paramLabel = "M.onnx",
            description = "Time these ONNX files (QDQ models too) in turns, on random inputs of their input shape; the"
                    + " key is the file name. The standard keys then run only when --keys names them.")
    private List<Path> models;

    @Option(names = "--batch", paramLabel = "B",
            description = "Images per call for --model files whose batch is open (default: 1).")
    private Integer batch;

    @Option(names = "--keys", split = ",", paramLabel = "KEY",
            description = "Run only these keys (default: all; the two legodnn_ keys need --store).")
    private List<String> keys;

    @Option(names = "--warmup", paramLabel = "N", description = "Warm-up calls per key, at least (default: ${DEFAULT-VALUE}).")
    private int warmup = 3;

    @Option(names = "--warmup-time", paramLabel = "S",
            description = "Keep warming up until S seconds have passed (default: ${DEFAULT-VALUE}).")
    private double warmupTime = 3;

    @Option(names = "--runs", paramLabel = "N", description = "Timed calls per key, at least (default: ${DEFAULT-VALUE}).")
    private int runs = 5;

    @Option(names = "--time", paramLabel = "S",
            description = "Keep timing calls until S seconds have passed (default: ${DEFAULT-VALUE}).")
    private double time = 5;

    @Option(names = "--seed", paramLabel = "S", description = "Seeds the random weights and inputs (default: ${DEFAULT-VALUE}).")
    private long seed = 1;

    /** What one key measured. */
    record Timing(String key, double medianMs, double minMs, int runs, int warmups, long flops) {
    }

    /** Keeps the last result reachable so that the JIT cannot drop the work that produced it. */
    private static volatile float sink;

    /** Why the training step is left out on an OpenCL device. */
    /** Why a key has no OpenCL path (null: it has one). */
    private static String noOpenCl(Workload w) {
        return w.trainStep() ? "training runs on the CPU only (bench --device cpu times it)" : null;
    }

    @Override
    public Integer call() throws Exception {
        boolean opencl = DeviceSpec.isOpenCl(spec.commandLine(), device);
        List<String> storeKeys = selectStoreKeys();
        boolean files = models != null && !models.isEmpty();
        List<Workload> selected = files && (keys == null || keys.isEmpty()) ? List.of() : select(opencl);
        if (files) {
            for (Path m : models) {
                RunCommand.requireFile(m, "--model");
            }
        }
        if (batch != null && (batch <= 0 || !files)) {
            throw usage("--batch goes with --model and must be positive");
        }
        if (threads != null && threads <= 0) {
            throw usage("--threads must be positive, got " + threads);
        }
        if (warmup < 0 || runs < 1 || !(warmupTime >= 0) || !(time >= 0)) {
            throw usage("--warmup and --warmup-time must be >= 0, --runs >= 1 and --time >= 0");
        }
        int previous = Parallel.threads();
        List<Timing> timings = new ArrayList<>();
        List<Workload> skipped = opencl && (keys == null || keys.isEmpty()) && !files
                ? WORKLOADS.stream().filter(w -> noOpenCl(w) != null).toList() : List.of();
        OpenClDevice gpu = null;
        OpenClExecution ocl = null;
        String where = "cpu";
        try {
            if (threads != null) {
                Parallel.setThreads(threads);
            }
            gpu = opencl ? OpenClDevice.open(device) : null; // an unknown device fails here, before any model is built
            ocl = gpu == null ? null : new OpenClExecution(gpu);
            System.err.printf(Locale.ROOT, "bench: %d thread%s, Java %s on %s %s%n", Parallel.threads(),
                    Parallel.threads() == 1 ? "" : "s", Runtime.version(), System.getProperty("os.name"),
                    System.getProperty("os.arch"));
            if (gpu != null) {
                where = "OpenCL device " + gpu + "; a call uploads the input, runs, downloads the output";
                System.err.println("bench: " + where);
            }
            for (Workload w : skipped) {
                System.err.println("bench: " + w.key() + " skipped: " + noOpenCl(w));
            }
            for (Workload w : selected) {
                System.err.printf(Locale.ROOT, "bench: %-32s ", w.key());
                System.err.flush();
                Timing t = measure(w, ocl);
                System.err.printf(Locale.ROOT, "%10.3f ms  (median of %d after %d warm-up calls)%n", t.medianMs(),
                        t.runs(), t.warmups());
                timings.add(t);
            }
            if (files) {
                try (ModelFileBench bench = ModelFileBench.open(models, batch, seed + 1,
                        ocl == null ? CpuExecution.current() : ocl)) {
                    List<String> names = bench.keys();
                    System.err.printf(Locale.ROOT, "bench: %s, in turns%n", String.join(" and ", names));
                    List<Runnable> calls = new ArrayList<>();
                    for (int i = 0; i < names.size(); i++) {
                        int k = i;
                        calls.add(() -> sink = bench.call(k));
                    }
                    List<Timing> measured = timeSideBySide(names, calls, 0);
                    for (int i = 0; i < measured.size(); i++) {
                        Timing t = measured.get(i);
                        t = new Timing(t.key(), t.medianMs(), t.minMs(), t.runs(), t.warmups(), bench.flops(i));
                        System.err.printf(Locale.ROOT, "bench: %-32s %10.3f ms  (median of %d after %d warm-up calls)%n",
                                t.key(), t.medianMs(), t.runs(), t.warmups());
                        timings.add(t);
                    }
                }
            }
            if (!storeKeys.isEmpty()) {
                // timed in turns, call for call, so that their ratio compares like with like
                try (StoreBench bench = StoreBench.open(store, seed + 1, ocl == null ? CpuExecution.current() : ocl)) {
                    System.err.printf(Locale.ROOT, "bench: %s, in turns%n", String.join(" and ", storeKeys));
                    List<Runnable> calls = storeKeys.stream().<Runnable>map(k -> () -> sink = bench.call(k)).toList();
                    for (Timing t : timeSideBySide(storeKeys, calls, bench.flops())) {
                        System.err.printf(Locale.ROOT, "bench: %-32s %10.3f ms  (median of %d after %d warm-up calls)%n",
                                t.key(), t.medianMs(), t.runs(), t.warmups());
                        timings.add(t);
                    }
                }
            }
        } finally {
            Parallel.setThreads(previous);
            if (ocl != null) {
                ocl.close();
            }
            if (gpu != null) {
                gpu.close();
            }
        }
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Timing t : timings) {
                out.put(t.key(), Math.round(t.medianMs() * 1000) / 1000.0);
            }
            System.out.println(JSON.std.asString(out));
        } else {
            printTable(timings);
            System.out.println("device: " + where);
            for (Workload w : skipped) {
                System.out.println(w.key() + ": skipped, " + noOpenCl(w));
            }
        }
        return 0;
    }

    /** The store keys to run: both with {@code --store}, unless {@code --keys} names which. */
    private List<String> selectStoreKeys() {
        List<String> named = keys == null ? List.of() : keys.stream().filter(StoreBench.KEYS::contains).toList();
        if (!named.isEmpty() && store == null) {
            throw usage("--keys: " + named.get(0) + " needs --store DIR (a block store written by offline)");
        }
        if (store == null) {
            return List.of();
        }
        return keys == null || keys.isEmpty() ? StoreBench.KEYS : named.stream().distinct().toList();
    }

    /** The keys to run: {@code --keys}, or every key (on OpenCL every inference key). */
    private List<Workload> select(boolean opencl) {
        if (keys == null || keys.isEmpty()) {
            return opencl ? WORKLOADS.stream().filter(w -> noOpenCl(w) == null).toList() : WORKLOADS;
        }
        List<Workload> out = new ArrayList<>();
        for (String k : keys) {
            if (StoreBench.KEYS.contains(k)) {
                continue;
            }
            Workload w = WORKLOADS.stream().filter(c -> c.key().equals(k)).findFirst()
                    .orElseThrow(() -> usage("--keys: unknown key '" + k + "' (known: " + keyNames() + ", "
                            + String.join(", ", StoreBench.KEYS) + ")"));
            if (opencl && noOpenCl(w) != null) {
                throw usage("--keys: " + k + " has no OpenCL path (" + noOpenCl(w) + "); leave it out or use --device cpu");
            }
            if (!out.contains(w)) {
                out.add(w);
            }
        }
        return out;
    }

    /** Builds the workload's model and input, warms it up and times it (on {@code ocl} when not null). */
    private Timing measure(Workload w, OpenClExecution ocl) {
        Module model = w.newModel(seed);
        Tensor x = w.newInput(seed + 1);
        Runnable call;
        long flops = 0;
        if (w.trainStep()) {
            int[] labels = new Random(seed + 2).ints(w.batch(), 0, w.classes()).toArray();
            // He et al.'s recipe (momentum 0.9, weight decay 5e-4); a small rate keeps random labels finite.
            SGD sgd = new SGD(model.parameters(), 0.01, 0.9, 5e-4, false);
            // One step's activations and gradients serve the next, as a training loop's would (Trainer).
            Workspace memory = new Workspace();
            call = () -> {
                try (Workspace.Scope step = memory.open()) {
                    sgd.zeroGrad();
                    Tensor loss = Ops.crossEntropy(model.forward(x), labels);
                    loss.backward();
                    sgd.step();
                    sink = loss.item();
                }
            };
        } else {
            int[] shape = w.inputShape();
            shape[0] = 1;
            flops = GraphAnalysis.totals(GraphAnalysis.perNode(Tracer.trace(model, shape))).flops() * w.batch();
            try (CompiledGraph compiled = w.compile(model, ocl == null ? CpuExecution.current() : ocl)) {
                return time(w.key(), () -> sink = compiled.run(x).data()[0], flops);
            }
        }
        return time(w.key(), call, flops);
    }

    /** Warms {@code call} up and times it, as the warm-up and timing options say. */
    private Timing time(String key, Runnable call, long flops) {
        return timeSideBySide(List.of(key), List.of(call), flops).get(0);
    }

    /**
     * Times several calls in turns (one of each per round), so that each sees the same machine state and their
     * ratio is fair: every call warms up and is timed as {@link #time} does, the rounds lasting until each
     * call has its counts and the time options have passed.
     */
    private List<Timing> timeSideBySide(List<String> names, List<Runnable> calls, long flops) {
        int n = calls.size();
        int warmups = 0;
        long warmEnd = System.nanoTime() + (long) (warmupTime * 1e9);
        while (warmups < warmup || System.nanoTime() < warmEnd) {
            calls.forEach(Runnable::run);
            warmups++;
        }
        List<List<Double>> ms = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ms.add(new ArrayList<>());
        }
        long end = System.nanoTime() + (long) (time * 1e9) * n;
        while (ms.get(0).size() < runs || System.nanoTime() < end) {
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                calls.get(i).run();
                ms.get(i).add((System.nanoTime() - t0) / 1e6);
            }
        }
        List<Timing> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double[] sorted = ms.get(i).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            out.add(new Timing(names.get(i), median(sorted), sorted[0], sorted.length, warmups, flops));
        }
        return out;
    }

    /** The middle value of a sorted array (the mean of the two middle ones for an even count). */
    public static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static void printTable(List<Timing> timings) {
        String row = "%-32s %11s %11s %6s %9s%n";
        System.out.printf(Locale.ROOT, row, "key", "median ms", "min ms", "runs", "GFLOP/s");
        for (Timing t : timings) {
            String gflops = t.flops() > 0 ? String.format(Locale.ROOT, "%.1f", t.flops() / (t.medianMs() * 1e6)) : "-";
            System.out.printf(Locale.ROOT, row, t.key(), String.format(Locale.ROOT, "%.3f", t.medianMs()),
                    String.format(Locale.ROOT, "%.3f", t.minMs()), t.runs(), gflops);
        }
        System.out.println("GFLOP/s counts the model's FLOPs as 'legodnn info' does (2 per multiply-add).");
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
