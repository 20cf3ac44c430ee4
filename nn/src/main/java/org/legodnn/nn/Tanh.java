package org.legodnn.nn;

import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/** The hyperbolic tangent as a module ({@code nn.Tanh}): a generator's last layer, images in [-1, 1]. */
public final class Tanh extends Module {

    @Override
    public Tensor forward(Tensor x) {
        return Ops.tanh(x);
    }
}
