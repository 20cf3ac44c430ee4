package org.legodnn.benchmarks;

import java.util.concurrent.TimeUnit;
import org.legodnn.kernels.conv.ConvGeometry;
import org.legodnn.kernels.conv.PackedConv;
import org.legodnn.kernels.Parallel;
import org.legodnn.nn.Conv2d;
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
 * Our convolution as compiled inference runs it ({@link PackedConv}: weights packed once, output buffer
 * reused, a ReLU epilogue), on every layer of {@link ConvShapes}, so that the kernel itself reads beside
 * {@link ConvLayerBenchmark} (the module's forward: packing and allocation per call) and ONNX Runtime
 * ({@link OrtConvLayerBenchmark}, whose session also packs once). The regex {@code ConvLayerBenchmark}
 * runs all three.
 *
 * <p>Scores as in {@link ConvLayerBenchmark}: calls per second, and {@code :gflop} in GFLOP/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class PackedConvLayerBenchmark {

    @Param({"1", "2"})
    public int threads;

    private PackedConv conv;
    private ConvGeometry geometry;
    private float[] x;
    private float[] y;
    private double gflopPerCall;
    private int savedThreads;

    @Setup
    public void setUp(ConvShapes layer) {
        savedThreads = Parallel.threads();
        Parallel.setThreads(threads);
        ConvShapes.Shape s = layer.shape();
        Conv2d module = s.newConv(42);
        int cinPerGroup = s.inChannels() / s.groups();
        conv = PackedConv.of(module.weight().data(), s.outChannels(), cinPerGroup, s.kernel(), s.kernel(), s.groups(),
                new float[s.outChannels()], 0f, Float.POSITIVE_INFINITY);
        geometry = ConvGeometry.square(1, s.inChannels(), s.height(), s.width(), s.outChannels(), s.kernel(),
                s.stride(), s.padding(), 1, s.groups());
        x = s.newInput(43).data();
        y = new float[geometry.outputSize()];
        gflopPerCall = s.gflop();
    }

    @TearDown
    public void tearDown() {
        Parallel.setThreads(savedThreads);
    }

    @Benchmark
    public float[] conv(Flops flops) {
        conv.forward(geometry, x, null, y);
        flops.gflop += gflopPerCall;
        return y;
    }
}
