package org.legodnn.tensor;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Lends the arrays of one training step to the next, because a step makes hundreds of megabytes of activations
 * and gradients that all die at its end, and a fresh Java array costs a zeroing pass over memory that no cache
 * holds, on the thread that runs the step while the kernels' other threads wait: ResNet-20's step at batch 128
 * made 1.3 GB of them, and 100 fresh 8 MB arrays took 40 ms where refilling one took 11 (BENCHMARKS.md, "A GEMM
 * inlining cliff, training-step memory"). An array given back is still warm in the caches.
 *
 * <pre>{@code
 * Workspace memory = new Workspace();
 * for (Batch b : batches) {
 *     try (Workspace.Scope step = memory.open()) {
 *         Tensor loss = Ops.crossEntropy(model.forward(b.x()), b.labels());
 *         loss.backward();
 *         sgd.step();
 *         total += loss.item();
 *     }
 * }
 * }</pre>
 *
 * <p>While a scope is open on a thread, the ops on that thread take their outputs and gradients from the
 * workspace ({@link #array}, {@link #zeros}); closing the scope gives them all back. Three rules keep that safe:
 * <ul>
 *   <li>An op result made inside a scope cannot be read once the scope has closed: {@link Tensor#data()} throws,
 *       naming the op and the shape, rather than show memory that the next step is overwriting. Keep what you
 *       need past the step with {@link Tensor#copy()} or {@link Tensor#item()} inside the scope.</li>
 *   <li>A gradient that lands on a leaf (a parameter) is never given back: it belongs to the optimizer.</li>
 *   <li>An intermediate gradient is given back as soon as the backward walk has used it, unless its op handed
 *       the array on to a parent, so that the rest of the backward pass reuses it.</li>
 * </ul>
 * Lent arrays hold whatever they held before; ops that accumulate ask for {@link #zeros}.
 */
public final class Workspace {

    private static final ThreadLocal<Scope> OPEN = new ThreadLocal<>();

    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    private final boolean poison;
    private Scope open;

    /** An empty workspace; it grows to the arrays of one step and keeps them while it is reachable. */
    public Workspace() {
        this(false);
    }

    private Workspace(boolean poison) {
        this.poison = poison;
    }

    /**
     * A workspace that fills every array it lends with NaN, so that an op which reads a value it did not write
     * shows up as a NaN in its result: tests run a training step with one to check every op that borrows.
     */
    public static Workspace poisoned() {
        return new Workspace(true);
    }

    /**
     * Starts lending to the ops of this thread until the returned scope is closed.
     *
     * @throws IllegalStateException if this workspace or another one is already open (a workspace serves one
     *                               step at a time, a thread one workspace)
     */
    public synchronized Scope open() {
        if (open != null) {
            throw new IllegalStateException("workspace: already open on thread '" + open.thread.getName()
                    + "'; close that scope first");
        }
        if (OPEN.get() != null) {
            throw new IllegalStateException("workspace: thread '" + Thread.currentThread().getName()
                    + "' already has another workspace open");
        }
        open = new Scope(this);
        OPEN.set(open);
        return open;
    }

    /** Arrays waiting to be lent again, for tests and for the curious. */
    public synchronized int freeArrays() {
        int count = 0;
        for (ArrayDeque<float[]> q : free.values()) {
            count += q.size();
        }
        return count;
    }

    // ---- what ops call --------------------------------------------------------------------------------------

    /** {@code n} floats whose values are undefined: lent by the scope open on this thread, else new. */
    public static float[] array(int n) {
        Scope s = OPEN.get();
        return s == null ? new float[n] : s.workspace.lend(s, n);
    }

    /** {@code n} zeros: lent by the scope open on this thread and cleared, else new. */
    public static float[] zeros(int n) {
        Scope s = OPEN.get();
        if (s == null) {
            return new float[n];
        }
        float[] a = s.workspace.lend(s, n);
        Arrays.fill(a, 0f);
        return a;
    }

    /** The scope open on this thread, or null. */
    static Scope current() {
        return OPEN.get();
    }

    /** Takes {@code a} off the open scope's books for good (it became a leaf's gradient). */
    static void keep(float[] a) {
        Scope s = OPEN.get();
        if (s != null) {
            synchronized (s.workspace) {
                s.lent.remove(a);
            }
        }
    }

    /** Gives {@code a} back before the scope closes (an intermediate gradient the walk is done with). */
    static void giveBack(float[] a) {
        Scope s = OPEN.get();
        if (s != null) {
            s.workspace.take(s, a);
        }
    }

    private synchronized float[] lend(Scope s, int n) {
        ArrayDeque<float[]> q = free.get(n);
        float[] a = q == null || q.isEmpty() ? new float[n] : q.pop();
        if (poison) {
            Arrays.fill(a, Float.NaN);
        }
        s.lent.add(a);
        return a;
    }

    private synchronized void take(Scope s, float[] a) {
        if (s.lent.remove(a)) {
            shelve(a);
        }
    }

    private synchronized void close(Scope s) {
        for (float[] a : s.lent) {
            shelve(a);
        }
        s.lent.clear();
        open = null;
    }

    /** Puts {@code a} where the next request for its length finds it. */
    private void shelve(float[] a) {
        free.computeIfAbsent(a.length, k -> new ArrayDeque<>()).push(a);
    }

    /** One step's loan; closing it gives back every array lent in it and retires the tensors made in it. */
    public static final class Scope implements AutoCloseable {
        private final Workspace workspace;
        private final Thread thread = Thread.currentThread();
        private final Set<float[]> lent = Collections.newSetFromMap(new IdentityHashMap<>());
        private volatile boolean closed;

        private Scope(Workspace workspace) {
            this.workspace = workspace;
        }

        /** Whether the scope has closed, so that the tensors made in it are void. */
        boolean isClosed() {
            return closed;
        }

        /**
         * Ends the loan.
         *
         * @throws IllegalStateException when called from another thread than the one that opened it
         */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            if (Thread.currentThread() != thread) {
                throw new IllegalStateException("workspace: a scope must be closed on the thread that opened it ('"
                        + thread.getName() + "')");
            }
            closed = true;
            OPEN.remove();
            workspace.close(this);
        }
    }
}
