package org.legodnn.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The CPU time a benchmark's work took beside the floating-point operations it did, because on a machine that
 * other work shares the wall-clock GFLOP/s says as much about the load as about the kernel: JMH reports both
 * sums per iteration ({@code :cpuGflop} and {@code :cpuSeconds}, unit "#"), and their quotient is the kernel's
 * GFLOP per CPU-second, per core, whatever share of the cores it got. It does not see time that a thread spent
 * parked (waiting for the others), so at two threads it is the efficiency of the cores while they ran.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class CpuTime {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public double cpuGflop;
    public double cpuSeconds;

    @Setup(Level.Iteration)
    public void reset() {
        cpuGflop = 0;
        cpuSeconds = 0;
    }

    /** Nanoseconds of CPU the calling thread has used. */
    static long thisThread() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /** Nanoseconds of CPU all live threads of this JVM have used (a kernel's worker threads included). */
    static long allThreads() {
        long sum = 0;
        for (long id : THREADS.getAllThreadIds()) {
            sum += Math.max(0, THREADS.getThreadCpuTime(id)); // -1 for a thread that has ended
        }
        return sum;
    }

    /** Counts {@code gflop} done in {@code nanos} of CPU time. */
    void add(double gflop, long nanos) {
        cpuGflop += gflop;
        cpuSeconds += nanos * 1e-9;
    }
}
