package org.legodnn.nn;

import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/**
 * The regression loss, as PyTorch's {@code nn.MSELoss()}: the mean of (prediction − target)²; LegoDNN
 * retrains descendant blocks with it on the teacher's intermediate features.
 */
public final class MSELoss {

    /** The mean squared error of two tensors of one shape, a scalar. */
    public Tensor forward(Tensor prediction, Tensor target) {
        return Ops.mse(prediction, target);
    }
}
