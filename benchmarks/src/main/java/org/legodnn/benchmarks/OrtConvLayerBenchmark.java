package org.legodnn.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.legodnn.graph.onnx.OnnxExporter;
import org.legodnn.graph.trace.Tracer;
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
 * The peer of {@link ConvLayerBenchmark}: the same layers, weights and inputs as one-convolution ONNX models
 * (traced and written by our own {@link OnnxExporter}) run by ONNX Runtime, whose MLAS kernels are the bar, so
 * that ours/ORT per layer is read from one report. ORT runs with its default graph optimizations, an intra-op
 * pool of {@code threads} (the calling thread included) and one inter-op thread.
 *
 * <p>Scores as in {@link ConvLayerBenchmark}: calls per second, and {@code :gflop} in GFLOP/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class OrtConvLayerBenchmark {

    @Param({"1", "2"})
    public int threads;

    private OrtSession.SessionOptions options;
    private OrtSession session;
    private OnnxTensor input;
    private Map<String, OnnxTensor> feeds;
    private double gflopPerCall;

    @Setup
    public void setUp(ConvShapes layer) throws OrtException {
        ConvShapes.Shape s = layer.shape();
        byte[] model = OnnxExporter.toModel(s.newConv(42), 1, s.inChannels(), s.height(), s.width()).toByteArray();
        options = sessionOptions(threads);
        session = OrtEnvironment.getEnvironment().createSession(model, options);
        input = tensor(s.newInput(43));
        feeds = Map.of(Tracer.INPUT, input);
        gflopPerCall = s.gflop();
    }

    @TearDown
    public void tearDown() throws OrtException {
        input.close();
        session.close();
        options.close();
    }

    @Benchmark
    public int conv(Flops flops) throws OrtException {
        try (OrtSession.Result result = session.run(feeds)) {
            flops.gflop += gflopPerCall;
            return result.size();
        }
    }

    /**
     * How every ORT session here is configured (also {@link ModelBenchmark}'s): default graph optimizations,
     * {@code threads} intra-op threads counting the caller, one inter-op thread (sequential execution).
     */
    static OrtSession.SessionOptions sessionOptions(int threads) throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setIntraOpNumThreads(threads);
        o.setInterOpNumThreads(1);
        o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        return o;
    }

    /** Our tensor as an ORT input (copied once, at setup, into ORT's native memory). */
    static OnnxTensor tensor(Tensor t) throws OrtException {
        long[] shape = new long[t.rank()];
        for (int d = 0; d < shape.length; d++) {
            shape[d] = t.dim(d);
        }
        return OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(t.data()), shape);
    }
}
