package org.legodnn.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs the independent pieces of one kernel call on a single pool that lives as long as the JVM, so that
 * no call ever creates threads. The calling thread takes part in the work; a call made from inside a pool
 * worker runs serially, so nested kernels never deadlock or oversubscribe the cores.
 *
 * <p>The thread count defaults to the number of cores, can be set with the system property
 * {@code legodnn.threads}, and can be changed at any time with {@link #setThreads(int)}.
 */
public final class Parallel {

    private static volatile int threads = initialThreads();
    private static volatile ForkJoinPool pool = newPool(threads);

    private Parallel() {
    }

    /** The number of threads (the caller included) that a kernel call may use. */
    public static int threads() {
        return threads;
    }

    /** Changes the thread count for every later kernel call; 1 makes every kernel serial. */
    public static synchronized void setThreads(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("thread count must be at least 1, got " + count);
        }
        if (count == threads) {
            return;
        }
        ForkJoinPool old = pool;
        pool = newPool(count);
        threads = count;
        if (old != null) {
            old.shutdown();
        }
    }

    /**
     * Calls {@code body} once for every index in {@code [0, count)}, spread over the pool. Indices are handed
     * out one at a time, so unequal pieces balance themselves; {@code body} must not depend on the order.
     */
    public static void forEach(int count, IntConsumer body) {
        int workers = Math.min(threads, count);
        ForkJoinPool p = pool;
        if (workers <= 1 || p == null || insidePool(p)) {
            for (int i = 0; i < count; i++) {
                body.accept(i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable drain = () -> {
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                body.accept(i);
            }
        };
        ForkJoinTask<?>[] helpers = new ForkJoinTask<?>[workers - 1];
        for (int h = 0; h < helpers.length; h++) {
            helpers[h] = p.submit(drain);
        }
        drain.run();
        for (ForkJoinTask<?> helper : helpers) {
            helper.join();
        }
    }

    /**
     * Splits {@code [0, total)} into about {@code threads()} contiguous ranges of at least {@code minChunk}
     * indices and calls {@code body.run(from, to)} for each, in parallel.
     */
    public static void forRange(int total, int minChunk, RangeBody body) {
        int chunks = Math.max(1, Math.min(threads, (total + Math.max(1, minChunk) - 1) / Math.max(1, minChunk)));
        if (chunks == 1) {
            body.run(0, total);
            return;
        }
        forEach(chunks, c -> {
            int from = (int) ((long) total * c / chunks);
            int to = (int) ((long) total * (c + 1) / chunks);
            if (from < to) {
                body.run(from, to);
            }
        });
    }

    /** A piece of work over the half-open index range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private static boolean insidePool(ForkJoinPool p) {
        return Thread.currentThread() instanceof ForkJoinWorkerThread w && w.getPool() == p;
    }

    private static ForkJoinPool newPool(int count) {
        if (count <= 1) {
            return null;
        }
        return new ForkJoinPool(count - 1, pool -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setDaemon(true);
            t.setName("legodnn-kernel-" + t.getPoolIndex());
            return t;
        }, null, false);
    }

    private static int initialThreads() {
        String prop = System.getProperty("legodnn.threads");
        if (prop != null && !prop.isBlank()) {
            try {
                int n = Integer.parseInt(prop.trim());
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // fall through to the default and say so below
            }
            System.err.println("legodnn: ignoring legodnn.threads=" + prop + " (expected a positive integer)");
        }
        return Runtime.getRuntime().availableProcessors();
    }
}
