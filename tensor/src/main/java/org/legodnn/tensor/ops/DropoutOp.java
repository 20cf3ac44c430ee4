package org.legodnn.tensor.ops;

import java.util.Random;
import org.legodnn.tensor.Tensor;

/**
 * Inverted dropout, PyTorch's {@code F.dropout}: a regularizer that zeroes random activations in training
 * and scales the survivors by {@code 1/(1 − p)}, so that eval needs no change (it returns the input).
 */
public final class DropoutOp {

    private DropoutOp() {
    }

    public static Tensor apply(Tensor x, float p, boolean training, Random rnd) {
        if (!(p >= 0f && p <= 1f)) {
            throw new IllegalArgumentException("dropout: probability must be in [0, 1], got " + p);
        }
        if (!training || p == 0f) {
            return x;
        }
        float keep = p == 1f ? 0f : 1f / (1f - p);
        float[] xd = x.data();
        float[] mask = new float[xd.length];
        float[] y = new float[xd.length];
        for (int i = 0; i < xd.length; i++) {
            mask[i] = rnd.nextFloat() < p ? 0f : keep;
            y[i] = xd[i] * mask[i];
        }
        return Tensor.result("dropout", y, x.shape(), gy -> {
            float[] gx = x.gradBuffer();
            for (int i = 0; i < gy.length; i++) {
                gx[i] += gy[i] * mask[i];
            }
        }, x);
    }
}
