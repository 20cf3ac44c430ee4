package org.legodnn.nn;

import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/**
 * The classification loss, as PyTorch's {@code nn.CrossEntropyLoss()}: mean over the batch of
 * −log softmax(logits)[target]. Targets are class indices; {@code long[]} (as safetensors stores them, I64) is
 * accepted too.
 */
public final class CrossEntropyLoss {

    /** The mean loss of {@code logits [N, C]} against {@code target [N]}, a scalar. */
    public Tensor forward(Tensor logits, int[] target) {
        return Ops.crossEntropy(logits, target);
    }

    /** As {@link #forward(Tensor, int[])}, for int64 labels. */
    public Tensor forward(Tensor logits, long[] target) {
        int[] t = new int[target.length];
        for (int i = 0; i < t.length; i++) {
            if (target[i] < 0 || target[i] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("CrossEntropyLoss: target[" + i + "] = " + target[i]
                        + " is not a class index");
            }
            t[i] = (int) target[i];
        }
        return forward(logits, t);
    }
}
