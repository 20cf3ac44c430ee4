package org.legodnn.tensor.ops;

import org.legodnn.kernels.Backend;
import org.legodnn.tensor.Tensor;

/**
 * Adds a freshly computed gradient into a parent, because kernels overwrite their outputs while autograd
 * must accumulate (a tensor used twice receives the sum of both gradients).
 */
final class Grad {

    private Grad() {
    }

    /**
     * Adds {@code g} to {@code t}'s gradient. {@code g} must be a new array that nothing else holds: when
     * {@code t} has no gradient yet, it becomes that gradient without a copy.
     */
    static void accumulate(Backend backend, Tensor t, float[] g) {
        if (t.grad() == null) {
            t.setGrad(g);
        } else {
            backend.addInPlace(g.length, t.gradBuffer(), g);
        }
    }
}
