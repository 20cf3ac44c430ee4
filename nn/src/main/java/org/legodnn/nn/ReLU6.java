package org.legodnn.nn;

import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/** min(max(0, x), 6) as a module, the activation of MobileNetV2 ({@code nn.ReLU6}). */
public final class ReLU6 extends Module {

    @Override
    public Tensor forward(Tensor x) {
        return Ops.relu6(x);
    }
}
