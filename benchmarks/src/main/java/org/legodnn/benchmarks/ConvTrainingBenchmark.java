package org.legodnn.benchmarks;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.legodnn.kernels.Parallel;
import org.legodnn.kernels.check.Compare;
import org.legodnn.kernels.conv.ConvGeometry;
import org.legodnn.kernels.conv.ConvKernel;
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
 * The three convolution passes of a training step, layer by layer: CIFAR ResNet-20's five distinct 3×3
 * convolutions at batch 128 (the {@code cifar_resnet20_train_step_b128} key), each pass on its own, so that the
 * step's time can be read per layer and per pass, in GFLOP/s against the FMA peak ({@link FmaPeakBenchmark}).
 * A call is one {@link ConvKernel} pass on preallocated arrays (no autograd, no allocation).
 *
 * <p>The primary score is calls per second; the secondary score {@code :gflop} is GFLOP/s.
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector -jar benchmarks/target/benchmarks.jar 'ConvTrainingBenchmark' \
 *     -f 1 -wi 3 -i 5 -w 1 -r 1
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class ConvTrainingBenchmark {

    /** {@code cin x size -> cout / stride}: the 3×3 convolutions of CIFAR ResNet-20's three stages. */
    @Param({"16x32->16/1", "16x32->32/2", "32x16->32/1", "32x16->64/2", "64x8->64/1"})
    public String layer;

    /** {@code forward}, {@code input} (the input gradient) or {@code weight} (the weight gradient). */
    @Param({"forward", "input", "weight"})
    public String pass;

    @Param({"1", "2"})
    public int threads;

    @Param("128")
    public int batch;

    private ConvGeometry g;
    private float[] x;
    private float[] w;
    private float[] y;
    private float[] gx;
    private float[] gw;
    private double gflopPerCall;
    private int savedThreads;

    @Setup
    public void setUp() {
        savedThreads = Parallel.threads();
        Parallel.setThreads(threads);
        String[] io = layer.split("->");
        String[] in = io[0].split("x");
        String[] out = io[1].split("/");
        int cin = Integer.parseInt(in[0]);
        int size = Integer.parseInt(in[1]);
        int cout = Integer.parseInt(out[0]);
        int stride = Integer.parseInt(out[1]);
        g = ConvGeometry.square(batch, cin, size, size, cout, 3, stride, 1, 1, 1);
        Random rnd = new Random(42);
        x = Compare.random(rnd, g.inputSize());
        w = Compare.random(rnd, g.weightSize());
        y = Compare.random(rnd, g.outputSize());
        gx = new float[g.inputSize()];
        gw = new float[g.weightSize()];
        gflopPerCall = 2.0 * g.macs() / 1e9;
    }

    @TearDown
    public void tearDown() {
        Parallel.setThreads(savedThreads);
    }

    @Benchmark
    public float pass(Flops flops) {
        switch (pass) {
            case "forward" -> ConvKernel.forward(g, x, w, null, y);
            case "input" -> ConvKernel.backwardInput(g, y, w, gx);
            case "weight" -> ConvKernel.backwardWeight(g, x, y, gw);
            default -> throw new IllegalArgumentException("pass: expected forward, input or weight, got " + pass);
        }
        flops.gflop += gflopPerCall;
        return gw[0] + gx[0] + y[0];
    }
}
