package org.legodnn.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.legodnn.cli.BenchCommand;
import org.legodnn.graph.exec.CompiledGraph;
import org.legodnn.graph.exec.CpuExecution;
import org.legodnn.graph.onnx.OnnxExporter;
import org.legodnn.graph.trace.Tracer;
import org.legodnn.kernels.Parallel;
import org.legodnn.nn.Module;
import org.legodnn.tensor.Autograd;
import org.legodnn.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whole models, ours against ONNX Runtime, under the inference keys of {@code legodnn bench} and DESIGN.md's
 * peer table, so that ours/ORT per model is read from one report. Both run the same zoo model with the same
 * random weights ({@link BenchCommand.Workload}): ours traced once and compiled
 * ({@link org.legodnn.graph.exec.CompiledGraph}: BatchNorm folded, ReLU and residual adds fused into the
 * convolutions, weights packed once, buffers reused), ORT on the ONNX file that our own exporter writes from
 * it (with ORT's default graph optimizations, which fold BatchNorm into the convolutions too). The int8 keys run
 * the same QDQ model on both sides: ours on its int8 kernels, ORT on its own (it fuses QDQ into QLinearConv).
 * {@code legodnnModule} times the modules' eager forward, op by op, for comparison.
 *
 * <p>The score is milliseconds per call, as in {@code bench --json}.
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector -jar benchmarks/target/benchmarks.jar ModelBenchmark -f 1 -wi 3 -i 5 -w 2 -r 2
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class ModelBenchmark {

    @Param({"resnet18_b1_224", "mobilenet_v2_b1_224", "cifar_resnet20_b1_32", "cifar_resnet20_b128_32",
        "cifar_resnet20_int8_b1_32", "cifar_resnet20_int8_b128_32"})
    public String key;

    @Param({"1", "2"})
    public int threads;

    /** Seeds the weights and the input, as {@code bench} does by default. */
    private static final long SEED = 1;

    /** Our engine's side: the zoo model in eval mode, and its compiled graph. */
    @State(Scope.Benchmark)
    public static class Ours {
        private Module model;
        private CompiledGraph compiled;
        private Tensor x;
        private int savedThreads;

        @Setup
        public void setUp(ModelBenchmark p) {
            savedThreads = Parallel.threads();
            Parallel.setThreads(p.threads);
            BenchCommand.Workload w = BenchCommand.workload(p.key);
            model = w.newModel(SEED);
            compiled = w.compile(model, CpuExecution.current());
            model.eval();
            x = w.newInput(SEED + 1);
        }

        @TearDown
        public void tearDown() {
            Parallel.setThreads(savedThreads);
        }
    }

    /** ONNX Runtime's side: the same model exported by {@link OnnxExporter}. */
    @State(Scope.Benchmark)
    public static class Ort {
        private OrtSession.SessionOptions options;
        private OrtSession session;
        private OnnxTensor input;
        private Map<String, OnnxTensor> feeds;

        @Setup
        public void setUp(ModelBenchmark p) throws OrtException {
            BenchCommand.Workload w = BenchCommand.workload(p.key);
            Module model = w.newModel(SEED);
            byte[] onnx = (w.int8() ? OnnxExporter.toModel(w.graph(model)) : OnnxExporter.toModel(model, w.inputShape()))
                    .toByteArray();
            options = OrtConvLayerBenchmark.sessionOptions(p.threads);
            session = OrtEnvironment.getEnvironment().createSession(onnx, options);
            input = OrtConvLayerBenchmark.tensor(w.newInput(SEED + 1));
            feeds = Map.of(Tracer.INPUT, input);
        }

        @TearDown
        public void tearDown() throws OrtException {
            input.close();
            session.close();
            options.close();
        }
    }

    @Benchmark
    public Tensor legodnn(Ours s) {
        return s.compiled.run(s.x);
    }

    @Benchmark
    public Tensor legodnnModule(Ours s) {
        try (var g = Autograd.noGrad()) {
            return s.model.forward(s.x);
        }
    }

    @Benchmark
    public int onnxRuntime(Ort s) throws OrtException {
        try (OrtSession.Result result = s.session.run(s.feeds)) {
            return result.size();
        }
    }
}
