package org.legodnn.kernels;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The threads behind {@link Parallel}: {@code size} daemon workers that, after each piece of work, spin
 * for a short while ({@link #SPIN_NANOS}) watching for the next before they park. Inference hands the
 * threads a new region every few hundred microseconds (one per convolution); a pool that parks its threads
 * at once (as {@link java.util.concurrent.ForkJoinPool} does) pays a wake-up per region, which measured
 * 75 µs on a 2-vCPU virtual machine, more than a small layer's work. Spinning workers pick a region up
 * within a microsecond or two.
 *
 * <p>One region at a time: the caller that wins {@link #tryAcquire} publishes a {@link Region}, takes part
 * in it and waits (spinning) until every worker that joined has finished. A region asked for while another
 * runs (another caller, or a nested call) runs serially on its caller, as does any call from a worker.
 */
final class WorkerTeam {

    /** How long an idle worker spins before it parks: longer than the gaps between regions of one inference. */
    static final long SPIN_NANOS = 500_000;

    private final Worker[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile Region region;
    private volatile boolean stopped;

    private WorkerTeam(int size) {
        workers = new Worker[size];
        for (int i = 0; i < size; i++) {
            workers[i] = new Worker(this, i);
        }
        for (Worker w : workers) {
            w.start();
        }
    }

    /** A team of {@code size} workers (the callers make the thread count {@code size + 1}); null for none. */
    static WorkerTeam start(int size) {
        return size < 1 ? null : new WorkerTeam(size);
    }

    /** Lets the workers finish what they do and end. */
    void stop() {
        stopped = true;
        for (Worker w : workers) {
            LockSupport.unpark(w);
        }
    }

    int size() {
        return workers.length;
    }

    /** Whether the calling thread may start a region now: it is no worker and no region runs. */
    boolean tryAcquire() {
        return !(Thread.currentThread() instanceof Worker) && busy.compareAndSet(false, true);
    }

    /**
     * Runs {@code body} for every index in {@code [0, count)} on the caller and {@code helpers} workers;
     * the caller must hold the team ({@link #tryAcquire}) and gives it back here. The first exception thrown
     * by any index is rethrown once every participant has stopped.
     */
    void run(int count, int helpers, IntConsumer body) {
        Region r = new Region(count, Math.min(helpers, workers.length), body);
        try {
            region = r;
            for (int i = 0; i < r.helpers; i++) {
                if (workers[i].parked) {
                    LockSupport.unpark(workers[i]);
                }
            }
            r.drain();
            long waitStart = System.nanoTime();
            while (r.pending.get() > 0) {
                // On a machine with more runnable threads than cores, a worker may wait for this very core.
                if (System.nanoTime() - waitStart < SPIN_NANOS / 25) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        } finally {
            busy.set(false);
        }
        Throwable e = r.error;
        if (e instanceof RuntimeException re) {
            throw re;
        }
        if (e instanceof Error err) {
            throw err;
        }
        if (e != null) {
            throw new IllegalStateException(e);
        }
    }

    /** One parallel loop: its indices are handed out one at a time to whoever asks next. */
    private static final class Region {
        final int count;
        final int helpers;
        final IntConsumer body;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger pending;
        volatile Throwable error;

        Region(int count, int helpers, IntConsumer body) {
            this.count = count;
            this.helpers = helpers;
            this.body = body;
            this.pending = new AtomicInteger(helpers);
        }

        void drain() {
            try {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    body.accept(i);
                }
            } catch (Throwable t) {
                if (error == null) {
                    error = t;
                }
                next.set(count);
            }
        }
    }

    /** A worker: joins each region it is counted in, spins between regions, parks when none come. */
    private static final class Worker extends Thread {
        private final WorkerTeam team;
        private final int index;
        volatile boolean parked;

        Worker(WorkerTeam team, int index) {
            this.team = team;
            this.index = index;
            setDaemon(true);
            setName("legodnn-kernel-" + index);
        }

        @Override
        public void run() {
            Region seen = null;
            long idleSince = System.nanoTime();
            while (!team.stopped) {
                Region r = team.region;
                if (r != seen) {
                    seen = r;
                    if (index < r.helpers) {
                        r.drain();
                        r.pending.decrementAndGet();
                    }
                    idleSince = System.nanoTime();
                    continue;
                }
                long idle = System.nanoTime() - idleSince;
                if (idle < SPIN_NANOS) {
                    // Spin a few microseconds, then offer the core to other threads between looks (a yield
                    // costs a microsecond when nothing else wants the core, and keeps a shared machine fair).
                    if (idle < SPIN_NANOS / 25) {
                        Thread.onSpinWait();
                    } else {
                        Thread.yield();
                    }
                    continue;
                }
                parked = true;
                if (team.region == seen && !team.stopped) {
                    LockSupport.park(this);
                }
                parked = false;
                idleSince = System.nanoTime();
            }
        }
    }
}
