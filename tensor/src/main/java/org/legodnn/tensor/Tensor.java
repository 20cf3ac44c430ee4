package org.legodnn.tensor;

import java.util.Arrays;
import java.util.Random;

/**
 * The value that flows through a model: a dense float32 array with a shape (NCHW for images), and, when it
 * takes part in training, the links that reverse-mode autograd needs. Like micrograd's {@code Value}, a
 * result of an op records its parents and a local backward function; {@link #backward()} hands the walk to
 * {@link Autograd}.
 *
 * <p>The data array is exposed on purpose: kernels work on raw arrays, and copying them at every op would
 * double the memory traffic. Code that changes {@link #data()} in place must not do it to a tensor that an
 * autograd graph still needs.
 */
public final class Tensor {

    private final int[] shape;
    private final float[] data;
    private float[] grad;
    private boolean requiresGrad;

    // Autograd links: null for leaves and for results computed without gradient tracking.
    private final String op;
    private final Tensor[] parents;
    private final BackwardFunction backward;
    /** The {@link Workspace} scope this op result was made in (its array may be lent), or null. */
    private final Workspace.Scope scope;

    private Tensor(float[] data, int[] shape, boolean requiresGrad, String op, Tensor[] parents,
                   BackwardFunction backward, Workspace.Scope scope) {
        this.shape = shape;
        this.data = data;
        this.requiresGrad = requiresGrad;
        this.op = op;
        this.parents = parents;
        this.backward = backward;
        this.scope = scope;
    }

    // ---- creation -----------------------------------------------------------------------------------------

    /** Wraps {@code data} (not copied) with the given shape. */
    public static Tensor of(float[] data, int... shape) {
        int[] s = shape.clone();
        long size = Shapes.size(s);
        if (size != data.length) {
            throw new IllegalArgumentException("tensor: shape " + Shapes.format(s) + " holds " + size
                    + " values, but the data has " + data.length);
        }
        return new Tensor(data, s, false, null, null, null, null);
    }

    public static Tensor zeros(int... shape) {
        return of(new float[Shapes.checkedSize("zeros", shape)], shape);
    }

    public static Tensor full(float value, int... shape) {
        float[] d = new float[Shapes.checkedSize("full", shape)];
        Arrays.fill(d, value);
        return of(d, shape);
    }

    /** A scalar (rank 0) tensor. */
    public static Tensor scalar(float value) {
        return of(new float[] {value});
    }

    /** Standard normal values from {@code rnd}. */
    public static Tensor randn(Random rnd, int... shape) {
        float[] d = new float[Shapes.checkedSize("randn", shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) rnd.nextGaussian();
        }
        return of(d, shape);
    }

    /** Uniform values in {@code [low, high)} from {@code rnd}. */
    public static Tensor uniform(Random rnd, float low, float high, int... shape) {
        float[] d = new float[Shapes.checkedSize("uniform", shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = low + (high - low) * rnd.nextFloat();
        }
        return of(d, shape);
    }

    /**
     * The result of an op. When gradients are enabled and a parent requires them, the result records its
     * parents and {@code backward}; otherwise it is a plain constant and the closure is dropped.
     */
    public static Tensor result(String op, float[] data, int[] shape, BackwardFunction backward, Tensor... parents) {
        return result(op, NO_ARGS, data, shape, backward, parents);
    }

    /**
     * {@link #result(String, float[], int[], BackwardFunction, Tensor...)} of an op with integer settings that the
     * shapes alone do not reveal (softmax's axis; a slice's axis, start, end and step), so that the graph tracer
     * can record them.
     */
    public static Tensor result(String op, int[] args, float[] data, int[] shape, BackwardFunction backward,
                                Tensor... parents) {
        boolean track = false;
        if (Autograd.isEnabled()) {
            for (Tensor p : parents) {
                if (p != null && p.requiresGrad) {
                    track = true;
                    break;
                }
            }
        }
        if (Shapes.size(shape) != data.length) {
            throw new IllegalStateException(op + ": produced " + data.length + " values for shape " + Shapes.format(shape));
        }
        Workspace.Scope scope = Workspace.current();
        Tensor t = track
                ? new Tensor(data, shape.clone(), true, op, parents.clone(), backward, scope)
                : new Tensor(data, shape.clone(), false, op, null, null, scope);
        OpObserver observer = OP_OBSERVER.get();
        if (observer != null) {
            observer.onResult(op, t, parents, args.clone());
        }
        return t;
    }

    // ---- tracing ------------------------------------------------------------------------------------------

    private static final ThreadLocal<OpObserver> OP_OBSERVER = new ThreadLocal<>();
    private static final int[] NO_ARGS = {};

    /** Sees every op result made on the observing thread, with or without gradients (the graph tracer). */
    public interface OpObserver {
        /**
         * {@code parents} are the op's operands as passed to {@link #result} (absent optional ones are null);
         * {@code args} its integer settings, empty for most ops.
         */
        void onResult(String op, Tensor result, Tensor[] parents, int[] args);
    }

    /**
     * Lets {@code observer} see every {@link #result} made on this thread until the returned scope is closed.
     * One observer at a time; without one an op pays a thread-local read.
     */
    public static OpObserverScope observeOps(OpObserver observer) {
        if (OP_OBSERVER.get() != null) {
            throw new IllegalStateException("observeOps: another observer is already active on this thread");
        }
        OP_OBSERVER.set(observer);
        return new OpObserverScope();
    }

    /** Closing it detaches the observer installed by {@link #observeOps}. */
    public static final class OpObserverScope implements AutoCloseable {
        private OpObserverScope() {
        }

        @Override
        public void close() {
            OP_OBSERVER.remove();
        }
    }

    // ---- shape and data -----------------------------------------------------------------------------------

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** The size of dimension {@code i}; negative {@code i} counts from the end. */
    public int dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    public int rank() {
        return shape.length;
    }

    /** The number of values. */
    public int size() {
        return data.length;
    }

    /**
     * The values, row-major; not a copy.
     *
     * @throws IllegalStateException if this is an op result made inside a {@link Workspace} scope that has closed
     */
    public float[] data() {
        if (scope != null && scope.isClosed()) {
            throw new IllegalStateException((op == null ? "tensor" : op) + ": this result " + Shapes.format(shape)
                    + " was made inside a Workspace scope that has closed, and its memory now serves a later step;"
                    + " copy() it or take item() before the scope closes");
        }
        return data;
    }

    /** The single value of a one-element tensor. */
    public float item() {
        if (data.length != 1) {
            throw new IllegalStateException("item: tensor of shape " + Shapes.format(shape) + " has " + data.length + " values");
        }
        return data()[0];
    }

    /** A copy of the values and shape with no autograd history. */
    public Tensor copy() {
        return of(data().clone(), shape);
    }

    /** The same values, cut off from the autograd graph. */
    public Tensor detach() {
        return new Tensor(data, shape, false, null, null, null, scope);
    }

    /** Whether this tensor's shape equals {@code other}. */
    public boolean sameShape(int... other) {
        return Arrays.equals(shape, other);
    }

    // ---- autograd -----------------------------------------------------------------------------------------

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf (a parameter, or an input under test) as needing its gradient. */
    public Tensor requiresGrad(boolean value) {
        if (parents != null && !value) {
            throw new IllegalStateException("requiresGrad: cannot turn gradients off on the result of " + op + "; use detach()");
        }
        this.requiresGrad = value;
        return this;
    }

    /** The accumulated gradient, or null when no backward pass has reached this tensor. */
    public float[] grad() {
        return grad;
    }

    /** The gradient as a tensor of this shape (a view of the same array), or null. */
    public Tensor gradTensor() {
        return grad == null ? null : of(grad, shape);
    }

    /**
     * The gradient array, created as zeros if absent, for ops that accumulate into it; an intermediate result's
     * comes from the open {@link Workspace}, a leaf's is its own.
     */
    public float[] gradBuffer() {
        if (grad == null) {
            grad = isLeaf() ? new float[data.length] : Workspace.zeros(data.length);
        }
        return grad;
    }

    /** Forgets the gradient (optimizers call this between steps). */
    public void zeroGrad() {
        grad = null;
    }

    /**
     * Replaces the gradient, e.g. when seeding a backward pass; the array is taken, not copied. A leaf keeps it for
     * good: if an open {@link Workspace} lent it, the workspace no longer counts it as its own.
     */
    public void setGrad(float[] g) {
        if (g != null && g.length != data.length) {
            throw new IllegalArgumentException("setGrad: gradient has " + g.length + " values, tensor " + Shapes.format(shape)
                    + " has " + data.length);
        }
        if (g != null && isLeaf()) {
            Workspace.keep(g);
        }
        grad = g;
    }

    /** Backpropagates from this scalar (seed 1). */
    public void backward() {
        if (data.length != 1) {
            throw new IllegalStateException("backward: needs a scalar, got shape " + Shapes.format(shape)
                    + "; pass the upstream gradient with backward(float[])");
        }
        Autograd.backward(this, new float[] {1f});
    }

    /** Backpropagates with the given upstream gradient (same size as this tensor). */
    public void backward(float[] upstream) {
        Autograd.backward(this, upstream);
    }

    /** The op that produced this tensor, or null for a leaf or a constant. */
    public String op() {
        return op;
    }

    Tensor[] parents() {
        return parents;
    }

    BackwardFunction backwardFunction() {
        return backward;
    }

    boolean isLeaf() {
        return parents == null;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Shapes.format(shape));
        if (op != null) {
            sb.append(" from ").append(op);
        }
        if (scope != null && scope.isClosed()) {
            return sb.append(" [given back to its workspace]").toString();
        }
        sb.append(" [");
        int show = Math.min(data.length, 8);
        for (int i = 0; i < show; i++) {
            sb.append(i == 0 ? "" : ", ").append(data[i]);
        }
        return sb.append(data.length > show ? ", ...]" : "]").toString();
    }
}
