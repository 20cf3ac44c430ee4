package org.legodnn.benchmarks;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The ceiling for every float kernel: the fused multiply-add rate that Java's Vector API reaches on one
 * core (and on two), from twelve independent {@code FloatVector.fma} chains, enough to keep two FMA units
 * with a latency of four cycles busy. {@code benchmarks/peak/fma_peak.c} is the same loop in C.
 *
 * <p>Each chain is the addend ({@code c = x·y + c}), as the accumulators of {@code GemmMicroKernel} are: C2
 * emits {@code vfmadd231ps}, which overwrites its addend, so a chain through a factor ({@code c = c·x + y})
 * cost a register copy per FMA and, with AVX2's 16 registers, spills; that form measured 85 GFLOP/s on a Zen 3
 * core where C and this form reach 102.
 *
 * <p>The secondary score {@code :gflop} is GFLOP/s (JMH shows the unit as "ops/s"); each FMA lane counts
 * as two flops. {@link CpuTime} adds each thread's CPU time, for the GFLOP per CPU-second on a shared machine.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class FmaPeakBenchmark {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int ITERATIONS = 100_000;
    private static final double GFLOP_PER_CALL = ITERATIONS * 12.0 * SPECIES.length() * 2 / 1e9;

    /** Where {@link #measure}'s threads leave their sums. */
    private static volatile float consumed;

    /** Inputs kept in fields so that the JIT cannot fold the chains into constants. */
    public float x = 0.999999f;
    public float y = 1e-7f;

    @Benchmark
    public float fma12(Flops flops, CpuTime cpu) {
        long t0 = CpuTime.thisThread();
        float sum = chains(x, y);
        flops.gflop += GFLOP_PER_CALL;
        cpu.add(GFLOP_PER_CALL, CpuTime.thisThread() - t0);
        return sum;
    }

    /** Both cores at once: the sum of the two threads' GFLOP/s is the machine's peak. */
    @Benchmark
    @Threads(2)
    public float fma12TwoThreads(Flops flops, CpuTime cpu) {
        long t0 = CpuTime.thisThread();
        float sum = chains(x, y);
        flops.gflop += GFLOP_PER_CALL;
        cpu.add(GFLOP_PER_CALL, CpuTime.thisThread() - t0);
        return sum;
    }

    /**
     * The FMA rate of {@code threads} threads running the loop at once for about {@code millis} ms, in GFLOP/s
     * (all threads together): the same ceiling outside JMH, for tools that report a share of it.
     */
    public static double measure(int threads, long millis) throws InterruptedException {
        if (threads < 1 || millis < 1) {
            throw new IllegalArgumentException("FMA peak: threads and millis must be positive, got " + threads + ", "
                    + millis);
        }
        double[] gflop = new double[threads];
        long[] nanos = new long[threads];
        Thread[] team = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            team[t] = new Thread(() -> {
                float sink = 0;
                for (int warm = 0; warm < 200; warm++) {
                    sink += chains(0.999999f, 1e-7f);
                }
                long t0 = System.nanoTime();
                long end = t0 + millis * 1_000_000L;
                int calls = 0;
                while (System.nanoTime() < end) {
                    sink += chains(0.999999f, 1e-7f);
                    calls++;
                }
                nanos[id] = System.nanoTime() - t0;
                gflop[id] = calls * GFLOP_PER_CALL;
                consumed = sink; // read, so that the JIT cannot drop the loop as dead code
            });
            team[t].start();
        }
        double total = 0;
        for (int t = 0; t < threads; t++) {
            team[t].join();
            total += gflop[t] / (nanos[t] / 1e9);
        }
        return total;
    }

    private static float chains(float x, float y) {
        FloatVector vx = FloatVector.broadcast(SPECIES, x);
        FloatVector vy = FloatVector.broadcast(SPECIES, y);
        // Distinct start values: identical chains could be merged into one by the JIT.
        FloatVector c0 = FloatVector.broadcast(SPECIES, 1.00f);
        FloatVector c1 = FloatVector.broadcast(SPECIES, 1.01f);
        FloatVector c2 = FloatVector.broadcast(SPECIES, 1.02f);
        FloatVector c3 = FloatVector.broadcast(SPECIES, 1.03f);
        FloatVector c4 = FloatVector.broadcast(SPECIES, 1.04f);
        FloatVector c5 = FloatVector.broadcast(SPECIES, 1.05f);
        FloatVector c6 = FloatVector.broadcast(SPECIES, 1.06f);
        FloatVector c7 = FloatVector.broadcast(SPECIES, 1.07f);
        FloatVector c8 = FloatVector.broadcast(SPECIES, 1.08f);
        FloatVector c9 = FloatVector.broadcast(SPECIES, 1.09f);
        FloatVector c10 = FloatVector.broadcast(SPECIES, 1.10f);
        FloatVector c11 = FloatVector.broadcast(SPECIES, 1.11f);
        for (int i = 0; i < ITERATIONS; i++) {
            c0 = vx.fma(vy, c0);
            c1 = vx.fma(vy, c1);
            c2 = vx.fma(vy, c2);
            c3 = vx.fma(vy, c3);
            c4 = vx.fma(vy, c4);
            c5 = vx.fma(vy, c5);
            c6 = vx.fma(vy, c6);
            c7 = vx.fma(vy, c7);
            c8 = vx.fma(vy, c8);
            c9 = vx.fma(vy, c9);
            c10 = vx.fma(vy, c10);
            c11 = vx.fma(vy, c11);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(VectorOperators.ADD);
    }
}
