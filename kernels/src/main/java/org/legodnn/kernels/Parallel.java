package org.legodnn.kernels;

import java.util.function.IntConsumer;

/**
 * Runs the independent pieces of one kernel call on a single team of threads that lives as long as the
 * JVM ({@link WorkerTeam}), so that no call ever creates threads, and that picks a call up within
 * microseconds. The calling thread takes part in the work; a call made from inside a worker, or while
 * another call holds the team, runs serially, so nested kernels never deadlock or oversubscribe the cores.
 *
 * <p>The thread count defaults to the number of cores, can be set with the system property
 * {@code legodnn.threads}, and can be changed at any time with {@link #setThreads(int)}.
 */
public final class Parallel {

    private static volatile int threads = initialThreads();
    private static volatile WorkerTeam team = WorkerTeam.start(threads - 1);

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
        WorkerTeam old = team;
        team = WorkerTeam.start(count - 1);
        threads = count;
        if (old != null) {
            old.stop();
        }
    }

    /**
     * Calls {@code body} once for every index in {@code [0, count)}, spread over the pool. Indices are handed
     * out one at a time, so unequal pieces balance themselves; {@code body} must not depend on the order.
     */
    public static void forEach(int count, IntConsumer body) {
        int workers = Math.min(threads, count);
        WorkerTeam t = team;
        if (workers <= 1 || t == null || !t.tryAcquire()) {
            for (int i = 0; i < count; i++) {
                body.accept(i);
            }
            return;
        }
        t.run(count, workers - 1, body);
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
