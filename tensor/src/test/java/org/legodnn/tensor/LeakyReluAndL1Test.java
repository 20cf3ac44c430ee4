package org.legodnn.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** LeakyReLU and the L1 loss, forward and backward, on values checked by hand (PyTorch's conventions at 0). */
class LeakyReluAndL1Test {

    @Test
    void leakyReluScalesTheNegativeSideAndItsGradientIncludingAtZero() {
        Tensor x = Tensor.of(new float[] {-2f, 0f, 3f, -0.5f}, 4).requiresGrad(true);
        Tensor y = Ops.leakyRelu(x, 0.2f);
        assertArrayEquals(new float[] {-0.4f, 0f, 3f, -0.1f}, y.data(), 1e-7f);
        Ops.sum(y).backward();
        assertArrayEquals(new float[] {0.2f, 0.2f, 1f, 0.2f}, x.grad(), 1e-7f); // at 0: the slope, as PyTorch
    }

    @Test
    void l1IsTheMeanAbsoluteErrorWithSignGradients() {
        Tensor p = Tensor.of(new float[] {1f, 2f, 3f, 4f}, 2, 2).requiresGrad(true);
        Tensor t = Tensor.of(new float[] {0f, 2f, 5f, 3.5f}, 2, 2);
        Tensor loss = Ops.l1(p, t);
        assertEquals((1 + 0 + 2 + 0.5) / 4, loss.item(), 1e-7);
        loss.backward();
        assertArrayEquals(new float[] {0.25f, 0f, -0.25f, 0.25f}, p.grad(), 1e-7f); // equal values: 0, as PyTorch
    }
}
