package org.legodnn.kernels.elementwise;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.legodnn.kernels.Parallel;

/**
 * Activations and elementwise arithmetic: after every convolution and on every residual path, so these
 * are plain vector loops that run at memory speed. Outputs may be the same array as an input (in place).
 * Only arrays longer than {@value #PARALLEL_LEN} are split over threads; shorter ones cost less than a
 * hand-off. NaN inputs stay NaN through {@link #relu} and {@link #relu6}, as in PyTorch.
 */
public final class ElementwiseKernel {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    /** Arrays up to this length run on the calling thread. */
    private static final int PARALLEL_LEN = 1 << 16;

    /** The smallest piece of a parallel call. */
    private static final int MIN_CHUNK = 1 << 15;

    private ElementwiseKernel() {
    }

    /** {@code y = x < 0 ? 0 : x}. */
    public static void relu(int len, float[] x, float[] y) {
        check("relu", len, x, y, y);
        run(len, (from, to) -> reluRange(x, y, from, to));
    }

    /** {@code gx = x > 0 ? gy : 0}. */
    public static void reluBackward(int len, float[] x, float[] gy, float[] gx) {
        check("reluBackward", len, x, gy, gx);
        run(len, (from, to) -> reluBackwardRange(x, gy, gx, from, to));
    }

    /** {@code y = min(max(x, 0), 6)}. */
    public static void relu6(int len, float[] x, float[] y) {
        check("relu6", len, x, y, y);
        run(len, (from, to) -> relu6Range(x, y, from, to));
    }

    /** {@code gx = 0 < x < 6 ? gy : 0}. */
    public static void relu6Backward(int len, float[] x, float[] gy, float[] gx) {
        check("relu6Backward", len, x, gy, gx);
        run(len, (from, to) -> relu6BackwardRange(x, gy, gx, from, to));
    }

    /** {@code y = a + b}. */
    public static void add(int len, float[] a, float[] b, float[] y) {
        check("add", len, a, b, y);
        run(len, (from, to) -> addRange(a, b, y, from, to));
    }

    /** {@code y += x}. */
    public static void addInPlace(int len, float[] y, float[] x) {
        check("addInPlace", len, y, x, y);
        run(len, (from, to) -> addRange(y, x, y, from, to));
    }

    // ---- one range -------------------------------------------------------------------------------------

    private static void reluRange(float[] x, float[] y, int from, int to) {
        FloatVector zero = FloatVector.zero(SPECIES);
        int bound = from + SPECIES.loopBound(to - from);
        int i = from;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, i);
            v.blend(zero, v.compare(VectorOperators.LT, 0f)).intoArray(y, i);
        }
        for (; i < to; i++) {
            float v = x[i];
            y[i] = v < 0f ? 0f : v;
        }
    }

    private static void reluBackwardRange(float[] x, float[] gy, float[] gx, int from, int to) {
        FloatVector zero = FloatVector.zero(SPECIES);
        int bound = from + SPECIES.loopBound(to - from);
        int i = from;
        for (; i < bound; i += SPECIES.length()) {
            VectorMask<Float> pass = FloatVector.fromArray(SPECIES, x, i).compare(VectorOperators.GT, 0f);
            zero.blend(FloatVector.fromArray(SPECIES, gy, i), pass).intoArray(gx, i);
        }
        for (; i < to; i++) {
            gx[i] = x[i] > 0f ? gy[i] : 0f;
        }
    }

    private static void relu6Range(float[] x, float[] y, int from, int to) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector six = FloatVector.broadcast(SPECIES, 6f);
        int bound = from + SPECIES.loopBound(to - from);
        int i = from;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, i);
            v.blend(zero, v.compare(VectorOperators.LT, 0f))
                    .blend(six, v.compare(VectorOperators.GT, 6f))
                    .intoArray(y, i);
        }
        for (; i < to; i++) {
            float v = x[i];
            y[i] = v < 0f ? 0f : (v > 6f ? 6f : v);
        }
    }

    private static void relu6BackwardRange(float[] x, float[] gy, float[] gx, int from, int to) {
        FloatVector zero = FloatVector.zero(SPECIES);
        int bound = from + SPECIES.loopBound(to - from);
        int i = from;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, i);
            VectorMask<Float> pass = v.compare(VectorOperators.GT, 0f).and(v.compare(VectorOperators.LT, 6f));
            zero.blend(FloatVector.fromArray(SPECIES, gy, i), pass).intoArray(gx, i);
        }
        for (; i < to; i++) {
            float v = x[i];
            gx[i] = v > 0f && v < 6f ? gy[i] : 0f;
        }
    }

    private static void addRange(float[] a, float[] b, float[] y, int from, int to) {
        int bound = from + SPECIES.loopBound(to - from);
        int i = from;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, a, i).add(FloatVector.fromArray(SPECIES, b, i)).intoArray(y, i);
        }
        for (; i < to; i++) {
            y[i] = a[i] + b[i];
        }
    }

    // ---- plumbing --------------------------------------------------------------------------------------

    private static void run(int len, Parallel.RangeBody body) {
        if (len > PARALLEL_LEN) {
            Parallel.forRange(len, MIN_CHUNK, body);
        } else {
            body.run(0, len);
        }
    }

    private static void check(String op, int len, float[] a, float[] b, float[] out) {
        if (len < 0 || a.length < len || b.length < len || out.length < len) {
            throw new IllegalArgumentException(op + ": length " + len + " needs arrays of at least that many elements, got "
                    + a.length + ", " + b.length + " and " + out.length);
        }
    }
}
