package org.legodnn.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.legodnn.tensor.ops.AddOp;

class AutogradTest {

    @Test
    void gradientsAccumulateThroughSharedParents() {
        Tensor a = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        Tensor b = Tensor.of(new float[] {3, 4}, 2).requiresGrad(true);
        Tensor s = AddOp.apply(a, b);
        Tensor t = AddOp.apply(s, a); // a is used twice: its gradient is 2
        t.backward(new float[] {1, 10});
        assertArrayEquals(new float[] {2, 20}, a.grad());
        assertArrayEquals(new float[] {1, 10}, b.grad());
        assertNull(s.grad(), "intermediate gradients are released after use");
    }

    @Test
    void noGradRecordsNothing() {
        Tensor a = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        Tensor y;
        try (var scope = Autograd.noGrad()) {
            y = AddOp.apply(a, a);
        }
        assertFalse(y.requiresGrad());
        assertTrue(Autograd.isEnabled());
        assertThrows(IllegalStateException.class, () -> y.backward(new float[] {1, 1}));
    }

    @Test
    void deepChainsDoNotOverflowTheStack() {
        Tensor a = Tensor.of(new float[] {1}, 1).requiresGrad(true);
        Tensor zero = Tensor.of(new float[] {0}, 1);
        Tensor y = a;
        for (int i = 0; i < 100_000; i++) {
            y = AddOp.apply(y, zero);
        }
        y.backward();
        assertArrayEquals(new float[] {1}, a.grad());
    }
}
