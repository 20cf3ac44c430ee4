package org.legodnn.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.legodnn.LegoDnn;
import org.legodnn.core.online.LegoDnnRuntime;
import org.legodnn.graph.Graph;
import org.legodnn.graph.exec.CompiledGraph;
import org.legodnn.graph.onnx.OnnxExporter;
import org.legodnn.kernels.Parallel;
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
 * One block store's teacher three ways, in one run, so that what LegoDNN serves is read against the engine's
 * best road and against ONNX Runtime on the same model: {@code served} is the LegoDNN runtime's {@code infer}
 * (every block at its sparsity-0 descendant), {@code compiled} the same composed graph compiled as {@code run}
 * compiles a model, {@code onnxRuntime} ORT on that composed graph exported by our exporter. Batch 1, a random
 * input of the teacher's shape; milliseconds per call.
 *
 * <pre>
 * bin/legodnn offline --model default --dataset fashion-mnist --out /tmp/store --epochs 1 --limit 64 --test-limit 32
 * java --add-modules=jdk.incubator.vector -jar benchmarks/target/benchmarks.jar StoreBenchmark -p store=/tmp/store -f 1
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class StoreBenchmark {

    /** The block store to time (required: {@code -p store=DIR}). */
    @Param({""})
    public String store;

    @Param({"1", "2"})
    public int threads;

    private LegoDnnRuntime runtime;
    private CompiledGraph compiled;
    private Tensor x;
    private OrtSession.SessionOptions options;
    private OrtSession session;
    private OnnxTensor input;
    private Map<String, OnnxTensor> feeds;
    private int savedThreads;

    @Setup
    public void setUp() throws IOException, OrtException {
        if (store.isEmpty() || !Files.isDirectory(Path.of(store))) {
            throw new IllegalArgumentException("StoreBenchmark: pass a block store with -p store=DIR (got '" + store + "')");
        }
        savedThreads = Parallel.threads();
        Parallel.setThreads(threads);
        runtime = LegoDnn.open(Path.of(store));
        Graph composed = runtime.compositionGraph();
        compiled = CompiledGraph.compile(composed);
        x = Tensor.randn(new Random(2), composed.inputs().get(0).concreteShape());
        options = OrtConvLayerBenchmark.sessionOptions(threads);
        session = OrtEnvironment.getEnvironment().createSession(OnnxExporter.toModel(composed).toByteArray(), options);
        input = OrtConvLayerBenchmark.tensor(x);
        feeds = Map.of(composed.inputs().get(0).name(), input);
    }

    @TearDown
    public void tearDown() throws OrtException {
        Parallel.setThreads(savedThreads);
        input.close();
        session.close();
        options.close();
    }

    @Benchmark
    public Tensor served() {
        return runtime.infer(x);
    }

    @Benchmark
    public Tensor compiled() {
        return compiled.run(x);
    }

    @Benchmark
    public int onnxRuntime() throws OrtException {
        try (OrtSession.Result result = session.run(feeds)) {
            return result.size();
        }
    }
}
