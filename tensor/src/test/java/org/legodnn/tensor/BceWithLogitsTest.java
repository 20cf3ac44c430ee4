package org.legodnn.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The weighted, summed binary cross-entropy on logits (a detector's loss) against PyTorch 1.13's
 * {@code F.binary_cross_entropy_with_logits(x, t, weight=w, reduction="sum")}, including logits far out where
 * a naive {@code log(sigmoid(x))} overflows, a zero weight and soft targets.
 */
class BceWithLogitsTest {

    private static final float[] X = {-30f, -2.5f, -0.3f, 0f, 0.7f, 4f, 25f, 1.5f};
    private static final float[] T = {0f, 1f, 0.25f, 1f, 0f, 1f, 0f, 0.6f};
    private static final float[] W = {1f, 2f, 0.5f, 1f, 0f, 1f, 1f, 3f};

    /** PyTorch's value and its gradient for an upstream gradient of 0.5. */
    private static final float TORCH_Y = 33.58799362182617f;
    private static final float[] TORCH_GX = {4.67881179e-14f, -0.924141824f, 0.0438893735f, -0.25f, 0f, -0.008993119f,
        0.5f, 0.326361626f};

    @Test
    void matchesPyTorchValueAndGradient() {
        Tensor x = Tensor.of(X.clone(), 2, 4).requiresGrad(true);
        Tensor y = Ops.bceWithLogitsSum(x, Tensor.of(T.clone(), 2, 4), Tensor.of(W.clone(), 2, 4));
        assertEquals(TORCH_Y, y.item(), 1e-4 * TORCH_Y);
        Ops.scale(y, 0.5f).backward();
        for (int i = 0; i < X.length; i++) {
            assertEquals(TORCH_GX[i], x.grad()[i], 1e-6, "gx[" + i + "]");
        }
    }

    @Test
    void refusesATargetOfAnotherShape() {
        Tensor x = Tensor.zeros(2, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ops.bceWithLogitsSum(x, Tensor.zeros(8), Tensor.zeros(2, 4)));
        assertTrue(e.getMessage().startsWith("binary_cross_entropy_with_logits (target): shapes differ: [2, 4] and [8]"),
                e.getMessage());
    }
}
