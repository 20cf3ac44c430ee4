package org.legodnn.benchmarks;

import java.util.concurrent.TimeUnit;
import org.legodnn.kernels.Parallel;
import org.legodnn.nn.Conv2d;
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
 * Our convolution on every distinct layer of ResNet-18 and MobileNetV2 ({@link ConvShapes}), at batch 1, so
 * that each row reads beside the same layer in ONNX Runtime ({@link OrtConvLayerBenchmark}) in one report.
 * A call is the {@code Conv2d} module's inference forward (no gradient graph), output allocation included,
 * as a model runs it.
 *
 * <p>The primary score is calls per second (milliseconds per call = 1000 / score); the secondary score
 * {@code :gflop} is GFLOP/s (JMH shows the unit "ops/s").
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector -jar benchmarks/target/benchmarks.jar 'ConvLayerBenchmark' -p threads=1 -f 1 -wi 2 -i 3 -w 1 -r 1
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class ConvLayerBenchmark {

    @Param({"1", "2"})
    public int threads;

    private Conv2d conv;
    private Tensor x;
    private double gflopPerCall;
    private int savedThreads;

    @Setup
    public void setUp(ConvShapes layer) {
        savedThreads = Parallel.threads();
        Parallel.setThreads(threads);
        ConvShapes.Shape s = layer.shape();
        conv = s.newConv(42);
        conv.eval();
        x = s.newInput(43);
        gflopPerCall = s.gflop();
    }

    @TearDown
    public void tearDown() {
        Parallel.setThreads(savedThreads);
    }

    @Benchmark
    public Tensor conv(Flops flops) {
        Tensor y;
        try (var g = Autograd.noGrad()) {
            y = conv.forward(x);
        }
        flops.gflop += gflopPerCall;
        return y;
    }
}
