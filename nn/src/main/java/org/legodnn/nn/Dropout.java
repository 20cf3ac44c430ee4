package org.legodnn.nn;

import java.util.Random;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/**
 * Inverted dropout, as PyTorch's {@code nn.Dropout}: in training it zeroes each value with probability
 * {@code p} and scales the rest by 1/(1−p); in eval it passes the input through. Its own {@link Random}
 * makes a training run repeatable.
 */
public final class Dropout extends Module {

    private final float p;
    private final Random rnd;

    /** p = 0.5 with a generator seeded from {@link Init#defaultRandom()}. */
    public Dropout() {
        this(0.5f);
    }

    public Dropout(float p) {
        this(p, new Random(Init.defaultRandom().nextLong()));
    }

    public Dropout(float p, Random rnd) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("Dropout: probability " + p + " is not in [0, 1)");
        }
        this.p = p;
        this.rnd = rnd;
    }

    @Override
    public Tensor forward(Tensor x) {
        return isTraining() && p > 0f ? Ops.dropout(x, p, true, rnd) : x;
    }

    public float p() {
        return p;
    }
}
