package org.legodnn.tensor;

/**
 * The local derivative of one op: given the gradient of the op's result, add the gradient of each parent
 * that {@link Tensor#requiresGrad() requires one} into that parent's {@link Tensor#gradBuffer()}.
 *
 * <p>The array passed in is the result's own gradient and {@link Autograd} drops it once the function returns, so
 * the function may overwrite it, or hand it to a parent as that parent's gradient ({@link Tensor#setGrad}), to
 * save an array and a pass over it.
 */
@FunctionalInterface
public interface BackwardFunction {

    void apply(float[] gradOfResult);
}
