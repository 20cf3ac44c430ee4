package org.legodnn.benchmarks;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.legodnn.kernels.gemm.Gemm;
import org.legodnn.kernels.Parallel;
import org.legodnn.kernels.check.Compare;
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
 * How close {@link Gemm#sgemm} comes to the FMA peak of the machine ({@link FmaPeakBenchmark}) on square
 * products, on one thread and on two.
 *
 * <p>The primary score is GEMM calls per second; the secondary score {@code sgemm:gflop} is the same
 * throughput in GFLOP/s ({@code 2·size³} flops per call, shown by JMH with the unit "ops/s"); {@link CpuTime}
 * adds the CPU time of every thread of the JVM, for the GFLOP per CPU-second on a shared machine.
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector -jar benchmarks/target/benchmarks.jar 'Gemm|FmaPeak' -f 1 -wi 3 -i 5 -w 1 -r 1
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class GemmBenchmark {

    @Param({"256", "512", "1024"})
    public int size;

    @Param({"1", "2"})
    public int threads;

    private float[] a;
    private float[] b;
    private float[] c;
    private int savedThreads;

    @Setup
    public void setUp() {
        savedThreads = Parallel.threads();
        Parallel.setThreads(threads);
        Random rnd = new Random(42);
        a = Compare.random(rnd, size * size);
        b = Compare.random(rnd, size * size);
        c = new float[size * size];
    }

    @TearDown
    public void tearDown() {
        Parallel.setThreads(savedThreads);
    }

    @Benchmark
    public float[] sgemm(Flops flops, CpuTime cpu) {
        long t0 = CpuTime.allThreads();
        Gemm.sgemm(false, false, size, size, size, a, 0, size, b, 0, size, false, c, 0, size);
        double gflop = 2.0 * size * size * size / 1e9;
        cpu.add(gflop, CpuTime.allThreads() - t0);
        flops.gflop += gflop;
        return c;
    }
}
