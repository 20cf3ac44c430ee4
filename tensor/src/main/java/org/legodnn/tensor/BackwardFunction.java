package org.legodnn.tensor;

/**
 * The local derivative of one op: given the gradient of the op's result, add the gradient of each parent
 * that {@link Tensor#requiresGrad() requires one} into that parent's {@link Tensor#gradBuffer()}.
 */
@FunctionalInterface
public interface BackwardFunction {

    void apply(float[] gradOfResult);
}
