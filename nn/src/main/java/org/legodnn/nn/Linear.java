package org.legodnn.nn;

import java.util.Random;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/**
 * A fully connected layer, {@code y = x·Wᵀ + b}, as PyTorch's {@code nn.Linear}: {@code weight [out, in]},
 * optional {@code bias [out]}, both uniform in ±1/√in as PyTorch initializes them.
 */
public final class Linear extends Module {

    private final int inFeatures;
    private final int outFeatures;
    private final Tensor weight;
    private final Tensor bias;

    /** A linear layer with bias. */
    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true, Init.defaultRandom());
    }

    public Linear(int inFeatures, int outFeatures, boolean bias, Random rnd) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("Linear: invalid sizes in=" + inFeatures + " out=" + outFeatures
                    + " (expected positive)");
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", Tensor.zeros(outFeatures, inFeatures));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(outFeatures)) : null;
        Init.pytorchDefault(weight, this.bias, rnd);
    }

    @Override
    public Tensor forward(Tensor x) {
        return Ops.linear(x, weight, bias);
    }

    public Tensor weight() {
        return weight;
    }

    /** The bias, or null when the layer has none. */
    public Tensor bias() {
        return bias;
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }
}
