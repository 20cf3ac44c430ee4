package org.legodnn.nn;

import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/** {@code [N, d1, d2, ...]} to {@code [N, d1·d2·...]}, between the convolutional part and a classifier ({@code nn.Flatten}). */
public final class Flatten extends Module {

    @Override
    public Tensor forward(Tensor x) {
        return Ops.flatten(x);
    }
}
