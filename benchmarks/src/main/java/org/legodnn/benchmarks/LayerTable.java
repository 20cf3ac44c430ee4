package org.legodnn.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
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
import org.legodnn.cli.BenchCommand;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.graph.analysis.Flops;
import org.legodnn.graph.exec.CompiledGraph;
import org.legodnn.graph.exec.CpuExecution;
import org.legodnn.graph.onnx.OnnxExporter;
import org.legodnn.graph.trace.Tracer;
import org.legodnn.kernels.Parallel;
import org.legodnn.nn.Module;
import org.legodnn.tensor.Tensor;

/**
 * Where a model's time goes, layer by layer, in our compiled graph and in ONNX Runtime side by side: the table
 * that says which layers keep an inference key above ONNX Runtime, and how far each class of layer is from the
 * machine's FMA peak. Model keys are {@code bench}'s ({@link BenchCommand#WORKLOADS}).
 *
 * <p>Each engine first runs the model for three seconds. Ours: {@link CompiledGraph#timeSteps}, the median of
 * each step over the calls. ONNX Runtime: its session profiler, the median of each node's kernel time over its
 * last calls. The convolutions and matrix
 * products of both are paired in order (both engines fuse BatchNorm, activations and residual adds into them,
 * so there is one of each per layer) and checked by weight shape; everything else (pooling, unfused adds,
 * ONNX Runtime's layout reorders) is one row, "other". Times are per node, so they add up to a little less
 * than a whole call.
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector -cp benchmarks/target/benchmarks.jar org.legodnn.benchmarks.LayerTable \
 *     resnet18_b1_224 1 [CALLS]
 * </pre>
 */
public final class LayerTable {

    /** One convolution or matrix product, as one engine ran it. */
    record Layer(String name, String kind, int[] weight, long flops, double ms) {
    }

    /** A layer of ours beside the same layer of ONNX Runtime. */
    record Row(Layer ours, Layer ort) {
    }

    /** How long each engine runs the model before its calls are timed: the JIT's compiles settle in this time. */
    private static final long WARM_UP_NANOS = 3_000_000_000L;

    private LayerTable() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: LayerTable KEY THREADS [CALLS]   (KEY a float inference key of bench)");
            System.exit(2);
        }
        BenchCommand.Workload w;
        int threads;
        int calls;
        try {
            w = BenchCommand.workload(args[0]);
            threads = positive("THREADS", args[1]);
            calls = args.length == 3 ? positive("CALLS", args[2]) : 50;
            if (w.trainStep() || w.int8()) {
                throw new IllegalArgumentException("key " + w.key() + " is not a float inference key");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("LayerTable: " + e.getMessage());
            System.exit(2);
            return;
        }
        double peak = FmaPeakBenchmark.measure(threads, 1000);
        List<Row> rows = measure(w, threads, calls);
        System.out.print(markdown(w.key(), threads, calls, peak, rows));
    }

    private static int positive(String what, String text) {
        try {
            int v = Integer.parseInt(text.trim());
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(what + " '" + text + "': expected a positive whole number");
    }

    /** Both engines' layers of {@code w} at {@code threads} threads, paired; throws if they do not pair. */
    static List<Row> measure(BenchCommand.Workload w, int threads, int calls) throws OrtException, IOException {
        Module model = w.newModel(1);
        Tensor x = w.newInput(2);
        List<Layer> ours = ours(w, model, x, threads, calls);
        List<Layer> ort = onnxRuntime(w, model, x, threads, calls);
        return pair(ours, ort);
    }

    /** Our compiled graph's steps: the convolutions and matrix products by name, the rest as one "other" layer. */
    static List<Layer> ours(BenchCommand.Workload w, Module model, Tensor x, int threads, int calls) {
        int saved = Parallel.threads();
        Parallel.setThreads(threads);
        try (CompiledGraph compiled = w.compile(model, CpuExecution.current())) {
            Graph g = compiled.graph();
            Map<String, Node> byName = new LinkedHashMap<>();
            for (Node n : g.nodes()) {
                byName.put(n.name(), n);
            }
            Map<String, Tensor> inputs = Map.of(g.inputs().get(0).name(), x);
            for (long end = System.nanoTime() + WARM_UP_NANOS; System.nanoTime() < end; ) {
                compiled.run(inputs);
            }
            CompiledGraph.StepTimes times = compiled.timeSteps(inputs, calls, calls);
            List<Layer> out = new ArrayList<>();
            double other = 0;
            for (int s = 0; s < times.nodes().size(); s++) {
                double ms = median(column(times.ms(), s));
                Node n = byName.get(times.nodes().get(s));
                if (n != null && (n.op() == Op.CONV || n.op() == Op.GEMM)) {
                    int[] wShape = g.shape(n.input(1));
                    int stride = n.op() == Op.CONV ? n.attrs(Attrs.Conv.class).strideH() : 1;
                    out.add(new Layer(n.name(), kind(n.op() == Op.GEMM, wShape, stride), wShape, Flops.of(g, n), ms));
                } else {
                    other += ms;
                }
            }
            out.add(new Layer("other", "other", new int[0], 0, other));
            return out;
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /** ONNX Runtime's nodes from its profiler: Conv and Gemm by order, the rest as one "other" layer. */
    static List<Layer> onnxRuntime(BenchCommand.Workload w, Module model, Tensor x, int threads, int calls)
            throws OrtException, IOException {
        byte[] onnx = OnnxExporter.toModel(model, w.inputShape()).toByteArray();
        Path dir = Files.createTempDirectory("legodnn-ort-profile");
        String file;
        try (OrtSession.SessionOptions options = OrtConvLayerBenchmark.sessionOptions(threads)) {
            options.enableProfiling(dir.resolve("ort").toString());
            try (OrtSession session = OrtEnvironment.getEnvironment().createSession(onnx, options);
                 OnnxTensor input = OrtConvLayerBenchmark.tensor(x)) {
                long end = System.nanoTime() + WARM_UP_NANOS;
                for (int c = 0; c < 2 * calls || System.nanoTime() < end; c++) {
                    try (OrtSession.Result r = session.run(Map.of(Tracer.INPUT, input))) {
                        r.size();
                    }
                }
                file = session.endProfiling();
            }
        }
        try {
            return fromProfile(JSON.std.listFrom(Files.readString(Path.of(file))), calls);
        } finally {
            Files.deleteIfExists(Path.of(file));
            Files.deleteIfExists(dir);
        }
    }

    /**
     * The layers of an ONNX Runtime profile (its JSON events): per node, the median kernel time of the last
     * {@code calls} runs (the runs before them warm up).
     */
    @SuppressWarnings("unchecked")
    static List<Layer> fromProfile(List<Object> events, int calls) {
        Map<String, List<Double>> durations = new LinkedHashMap<>();
        Map<String, Map<String, Object>> argsOf = new LinkedHashMap<>();
        for (Object o : events) {
            Map<String, Object> e = (Map<String, Object>) o;
            String name = String.valueOf(e.get("name"));
            if (!"Node".equals(e.get("cat")) || !name.endsWith("_kernel_time")) {
                continue;
            }
            durations.computeIfAbsent(name, k -> new ArrayList<>()).add(((Number) e.get("dur")).doubleValue() / 1000);
            argsOf.putIfAbsent(name, (Map<String, Object>) e.get("args"));
        }
        List<Layer> out = new ArrayList<>();
        double other = 0;
        for (Map.Entry<String, List<Double>> d : durations.entrySet()) {
            List<Double> all = d.getValue();
            double ms = median(all.subList(Math.max(0, all.size() - calls), all.size()).stream()
                    .mapToDouble(Double::doubleValue).toArray());
            Map<String, Object> args = argsOf.get(d.getKey());
            String op = String.valueOf(args.get("op_name"));
            boolean gemm = op.equals("Gemm") || op.equals("MatMul") || op.equals("FusedGemm");
            if (!gemm && !op.equals("Conv") && !op.equals("FusedConv")) {
                other += ms;
                continue;
            }
            List<Object> inputs = (List<Object>) args.get("input_type_shape");
            List<Object> outputs = (List<Object>) args.get("output_type_shape");
            int[] in = shape(inputs.get(0));
            int[] y = shape(outputs.get(0));
            // A Gemm's profile omits its prepacked weight: [out, in] from its input and output.
            int[] weight = gemm ? new int[] {y[y.length - 1], in[in.length - 1]} : shape(inputs.get(1));
            long size = 1;
            for (int v : y) {
                size *= v;
            }
            int stride = gemm ? 1 : Math.max(1, in[2] / y[2]);
            long perOutput = gemm ? (long) weight[1] : (long) weight[1] * weight[2] * weight[3];
            String name = d.getKey().substring(0, d.getKey().length() - "_kernel_time".length());
            out.add(new Layer(name, kind(gemm, weight, stride), weight, 2 * size * perOutput, ms));
        }
        out.add(new Layer("other", "other", new int[0], 0, other));
        return out;
    }

    /**
     * Pairs the two engines' layers in order, checking that each pair has one weight shape, or that ONNX Runtime's
     * is ours with its channel counts padded to its blocked layout ({@link #isBlockPaddingOf}); such a row counts
     * both engines' work as ours (the padded lanes are ONNX Runtime's cost of its layout).
     */
    static List<Row> pair(List<Layer> ours, List<Layer> ort) {
        if (ours.size() != ort.size()) {
            throw new IllegalStateException("layer table: ours has " + (ours.size() - 1) + " convolutions and matrix"
                    + " products, ONNX Runtime " + (ort.size() - 1) + "; they cannot be paired");
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < ours.size(); i++) {
            Layer a = ours.get(i);
            Layer b = ort.get(i);
            if (isBlockPaddingOf(a.weight(), b.weight())) {
                b = new Layer(b.name(), a.kind(), a.weight(), a.flops(), b.ms());
            } else if (!Arrays.equals(a.weight(), b.weight()) && !isTransposeOf(a.weight(), b.weight())) {
                throw new IllegalStateException("layer table: layer " + i + " is " + a.name() + " with weight "
                        + Arrays.toString(a.weight()) + " in ours but " + b.name() + " with weight "
                        + Arrays.toString(b.weight()) + " in ONNX Runtime");
            }
            rows.add(new Row(a, b));
        }
        return rows;
    }

    /**
     * Whether convolution weight {@code b} is {@code a} with its output and input channel counts rounded up to
     * ONNX Runtime's NCHWc block (8 or 16 channels; MobileNetV2's 24-channel layers run as 32 on an AVX-512
     * machine), its kernel the same and at least one count padded. Fewer than 8 channels are never padded: ONNX
     * Runtime reads a model's first convolution's input (3 channels) as it is.
     */
    static boolean isBlockPaddingOf(int[] a, int[] b) {
        if (a.length != 4 || b.length != 4 || a[2] != b[2] || a[3] != b[3] || Arrays.equals(a, b)) {
            return false;
        }
        for (int d = 0; d < 2; d++) {
            if (b[d] != a[d] && (a[d] < 8 || b[d] != roundUp(a[d], 8) && b[d] != roundUp(a[d], 16))) {
                return false;
            }
        }
        return true;
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    /** A matrix product's weight may be stored transposed by one engine ({@code transB}). */
    private static boolean isTransposeOf(int[] a, int[] b) {
        return a.length == 2 && b.length == 2 && a[0] == b[1] && a[1] == b[0];
    }

    /** The class of a layer, from its weight shape {@code [out, in/groups, kh, kw]} and stride. */
    static String kind(boolean gemm, int[] weight, int stride) {
        if (gemm) {
            return "fully connected";
        }
        String k = weight[2] + "×" + weight[3] + (stride > 1 ? "/" + stride : "");
        if (weight[1] == 1 && weight[0] > 1) {
            return "depthwise " + k;
        }
        if (weight[1] == 3) {
            return "stem " + k;
        }
        return k;
    }

    /** The table and the per-class summary, as Markdown. */
    static String markdown(String key, int threads, int calls, double peak, List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s, %d thread%s, median of %d calls per layer; FMA peak %.1f GFLOP/s"
                + " (Java FMA loop, %d thread%s)%n%n", key, threads, threads == 1 ? "" : "s", calls, peak, threads,
                threads == 1 ? "" : "s"));
        sb.append("| layer | class | weight | ours ms | ORT ms | ours/ORT | ours GFLOP/s | ORT GFLOP/s |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        Map<String, double[]> classes = new LinkedHashMap<>();
        double oursTotal = 0;
        double ortTotal = 0;
        for (Row r : rows) {
            Layer a = r.ours();
            Layer b = r.ort();
            oursTotal += a.ms();
            ortTotal += b.ms();
            double[] c = classes.computeIfAbsent(a.kind(), k -> new double[4]);
            c[0] += a.ms();
            c[1] += b.ms();
            c[2] += a.flops();
            c[3]++;
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %.3f | %.3f | %.2f | %s | %s |%n", a.name(), a.kind(),
                    a.weight().length == 0 ? "" : Arrays.toString(a.weight()).replace(" ", ""), a.ms(), b.ms(),
                    a.ms() / b.ms(), gflops(a.flops(), a.ms()), gflops(b.flops(), b.ms())));
        }
        sb.append(String.format(Locale.ROOT, "| total of the nodes | | | %.3f | %.3f | %.2f | | |%n%n", oursTotal,
                ortTotal, oursTotal / ortTotal));
        sb.append("| class | layers | ours ms | ORT ms | ours/ORT | ours GFLOP/s (% of peak) | ORT GFLOP/s (% of peak) |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, double[]> e : classes.entrySet()) {
            double[] c = e.getValue();
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.2f | %s | %s |%n", e.getKey(), (int) c[3],
                    c[0], c[1], c[0] / c[1], ofPeak(c[2], c[0], peak), ofPeak(c[2], c[1], peak)));
        }
        return sb.toString();
    }

    private static String gflops(long flops, double ms) {
        return flops == 0 ? "" : String.format(Locale.ROOT, "%.1f", flops / ms / 1e6);
    }

    private static String ofPeak(double flops, double ms, double peak) {
        if (flops == 0) {
            return "";
        }
        double g = flops / ms / 1e6;
        return String.format(Locale.ROOT, "%.1f (%.0f%%)", g, 100 * g / peak);
    }

    @SuppressWarnings("unchecked")
    private static int[] shape(Object typeAndShape) {
        List<Object> dims = (List<Object>) ((Map<String, Object>) typeAndShape).values().iterator().next();
        return dims.stream().mapToInt(v -> ((Number) v).intValue()).toArray();
    }

    private static double[] column(double[][] ms, int step) {
        double[] out = new double[ms.length];
        for (int c = 0; c < ms.length; c++) {
            out[c] = ms[c][step];
        }
        return out;
    }

    /** The median of values in any order ({@link BenchCommand#median} takes them sorted). */
    private static double median(double[] v) {
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        return BenchCommand.median(sorted);
    }
}
