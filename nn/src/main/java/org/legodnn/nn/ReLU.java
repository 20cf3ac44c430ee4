package org.legodnn.nn;

import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/** max(0, x) as a module, so that a model's activations appear in its module tree (as {@code nn.ReLU}). */
public final class ReLU extends Module {

    @Override
    public Tensor forward(Tensor x) {
        return Ops.relu(x);
    }
}
