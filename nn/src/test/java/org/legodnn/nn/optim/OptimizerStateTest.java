package org.legodnn.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.legodnn.tensor.Tensor;

/** Saving an optimizer's state and loading it into a fresh one continues the same trajectory. */
class OptimizerStateTest {

    private static List<Tensor> params() {
        return List.of(Tensor.of(new float[] {1, -2, 3, 0.5f}, 2, 2).requiresGrad(true),
                Tensor.of(new float[] {0.25f}, 1).requiresGrad(true));
    }

    private static void step(Optimizer opt, int t) {
        for (Tensor p : opt.parameters()) {
            float[] g = new float[p.size()];
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) Math.sin(t + i + p.data()[i]);
            }
            p.setGrad(g);
        }
        opt.step();
    }

    private static void check(Function<List<Tensor>, Optimizer> make, String key) {
        List<Tensor> a = params();
        Optimizer straight = make.apply(a);
        for (int t = 0; t < 6; t++) {
            step(straight, t);
        }
        List<Tensor> b = params();
        Optimizer first = make.apply(b);
        for (int t = 0; t < 3; t++) {
            step(first, t);
        }
        Map<String, Tensor> state = first.stateDict();
        assertTrue(state.containsKey(key), state.keySet().toString());
        Optimizer second = make.apply(b);
        second.loadStateDict(state);
        for (int t = 3; t < 6; t++) {
            step(second, t);
        }
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).data(), b.get(i).data());
        }
    }

    @Test
    void sgdMomentumResumes() {
        check(p -> new SGD(p, 0.1, 0.9, 0.01, false), "1.momentum_buffer");
        check(p -> new SGD(p, 0.1, 0.9, 0, true), "0.momentum_buffer");
        assertEquals(0, new SGD(params(), 0.1).stateDict().size(), "no momentum, no state");
    }

    @Test
    void adamResumes() {
        check(p -> new Adam(p, 0.01), "0.exp_avg_sq");
        check(p -> new AdamW(p, 0.01), "1.step");
    }

    @Test
    void rejectsForeignState() {
        SGD sgd = new SGD(params(), 0.1, 0.9, 0, false);
        assertThrows(IllegalArgumentException.class,
                () -> sgd.loadStateDict(Map.of("2.momentum_buffer", Tensor.zeros(1))));
        assertThrows(IllegalArgumentException.class,
                () -> sgd.loadStateDict(Map.of("0.exp_avg", Tensor.zeros(2, 2))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sgd.loadStateDict(Map.of("0.momentum_buffer", Tensor.zeros(4))));
        assertTrue(e.getMessage().contains("[4]") && e.getMessage().contains("[2, 2]"), e.getMessage());
    }
}
