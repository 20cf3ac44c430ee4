package org.legodnn.nn;

import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/** {@code x} where positive, {@code slope·x} elsewhere, as a module ({@code nn.LeakyReLU}; slope 0.01 by default). */
public final class LeakyReLU extends Module {

    private final float slope;

    public LeakyReLU() {
        this(0.01f);
    }

    public LeakyReLU(float slope) {
        this.slope = slope;
    }

    /** The slope of the negative side. */
    public float slope() {
        return slope;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Ops.leakyRelu(x, slope);
    }
}
