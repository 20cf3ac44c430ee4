package org.legodnn.kernels.opencl;

/**
 * The activation that a kernel applies to its results before storing them: a clamp to {@code [lo, hi]},
 * which is ReLU for {@code [0, inf)} and ReLU6 for {@code [0, 6]}. Fusing it into the convolution, the
 * matrix product or the residual add saves one pass over the tensor. NaN passes through unchanged.
 */
public record Clamp(float lo, float hi) {

    public static final Clamp NONE = new Clamp(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
    public static final Clamp RELU = new Clamp(0f, Float.POSITIVE_INFINITY);
    public static final Clamp RELU6 = new Clamp(0f, 6f);

    public Clamp {
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("clamp: lower bound " + lo + " above upper bound " + hi);
        }
    }

    /** The clamp of applying this one, then {@code next} (e.g. none then ReLU is ReLU). */
    public Clamp then(Clamp next) {
        float l = Math.min(Math.max(lo, next.lo), next.hi);
        float h = Math.max(Math.min(hi, next.hi), next.lo);
        return new Clamp(l, Math.max(l, h));
    }

    public boolean isNone() {
        return lo == Float.NEGATIVE_INFINITY && hi == Float.POSITIVE_INFINITY;
    }
}
