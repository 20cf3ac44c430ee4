package org.legodnn.nn.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.legodnn.nn.optim.SGD;
import org.legodnn.tensor.Tensor;

/** Each schedule against values worked out by hand from the torch formula it documents. */
class LrScheduleTest {

    private static final double EPS = 1e-12;

    @Test
    void stepLrDecaysEveryStepSizeEpochs() {
        StepLR s = new StepLR(0.1, 30, 0.1);
        assertEquals(0.1, s.lr(0), EPS);
        assertEquals(0.1, s.lr(29), EPS);
        assertEquals(0.01, s.lr(30), EPS);
        assertEquals(0.001, s.lr(65), EPS);
        assertEquals(0.05 * 0.5 * 0.5, new StepLR(0.05, 2, 0.5).lr(5), EPS);
    }

    @Test
    void cosineFollowsHalfACosineToEtaMin() {
        CosineAnnealingLR s = new CosineAnnealingLR(0.1, 10, 0.0);
        assertEquals(0.1, s.lr(0), EPS);
        assertEquals(0.05, s.lr(5), EPS);
        // 0.05 · (1 + cos(0.3π)) = 0.05 · 1.5877852522924731
        assertEquals(0.079389262614623657, s.lr(3), EPS);
        assertEquals(0.0, s.lr(10), EPS);
        assertEquals(0.0, s.lr(12), EPS);
        // with a floor: 0.001 + 0.099 · (1 + cos(0.25π)) / 2 = 0.001 + 0.099 · 0.8535533905932737
        assertEquals(0.085501785668734, new CosineAnnealingLR(0.1, 8, 0.001).lr(2), 1e-12);
    }

    @Test
    void polyDecaysToZero() {
        PolyLR s = new PolyLR(0.01, 100, 0.9);
        assertEquals(0.01, s.lr(0), EPS);
        // 0.01 · 0.5^0.9 = 0.01 · 0.5358867312681466
        assertEquals(0.005358867312681466, s.lr(50), EPS);
        assertEquals(0.0, s.lr(100), EPS);
        assertEquals(0.0, s.lr(150), EPS);
        assertEquals(0.01 * 0.75, new PolyLR(0.01, 4, 1.0).lr(1), EPS);
    }

    @Test
    void warmupRampsLinearlyThenHandsOver() {
        LinearWarmup s = new LinearWarmup(5, 0.1, new CosineAnnealingLR(0.2, 10, 0.0));
        assertEquals(0.02, s.lr(0), EPS);
        // 0.2 · (0.1 + 0.9 · 3/5) = 0.2 · 0.64
        assertEquals(0.128, s.lr(3), EPS);
        assertEquals(0.2, s.lr(5), EPS);
        assertEquals(0.1, s.lr(10), EPS);
        assertEquals(0.0, s.lr(15), EPS);
    }

    @Test
    void applySetsTheOptimizersLearningRate() {
        SGD sgd = new SGD(List.of(Tensor.zeros(2).requiresGrad(true)), 1.0);
        new StepLR(0.1, 1, 0.5).apply(sgd, 2);
        assertEquals(0.025, sgd.lr(), EPS);
    }

    @Test
    void invalidConfigurationsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new StepLR(0.1, 0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingLR(0.1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new PolyLR(0.1, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> new LinearWarmup(3, 1.5, new StepLR(0.1, 1, 1)));
    }
}
