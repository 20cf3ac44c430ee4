package org.legodnn.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WorkspaceTest {

    /** A residual network small enough for a unit test: conv, BatchNorm, ReLU, conv, + input, ReLU, pool, linear. */
    private static final class Net {
        final Tensor w1;
        final Tensor b1;
        final Tensor gamma;
        final Tensor beta;
        final Tensor runningMean = Tensor.zeros(4);
        final Tensor runningVar = Tensor.full(1f, 4);
        final Tensor w2;
        final Tensor fcW;
        final Tensor fcB;

        Net(long seed) {
            Random r = new Random(seed);
            w1 = param(Tensor.randn(r, 4, 4, 3, 3), 0.3f);
            b1 = param(Tensor.randn(r, 4), 0.1f);
            gamma = param(Tensor.full(1f, 4), 1f);
            beta = param(Tensor.zeros(4), 1f);
            w2 = param(Tensor.randn(r, 4, 4, 3, 3), 0.3f);
            fcW = param(Tensor.randn(r, 3, 4), 0.5f);
            fcB = param(Tensor.zeros(3), 1f);
        }

        private static Tensor param(Tensor t, float scale) {
            float[] d = t.data();
            for (int i = 0; i < d.length; i++) {
                d[i] *= scale;
            }
            return t.requiresGrad(true);
        }

        List<Tensor> parameters() {
            return List.of(w1, b1, gamma, beta, w2, fcW, fcB);
        }

        Tensor loss(Tensor x, int[] labels) {
            Tensor h = Ops.relu(Ops.batchNorm2d(Ops.conv2d(x, w1, b1, 1, 1, 1, 1), gamma, beta, runningMean, runningVar,
                    true, 0.1f, 1e-5f));
            Tensor y = Ops.relu(Ops.add(Ops.conv2d(h, w2, null, 1, 1, 1, 1), x));
            return Ops.crossEntropy(Ops.linear(Ops.flatten(Ops.globalAvgPool(y)), fcW, fcB), labels);
        }

        /** One SGD step; returns the loss. */
        float step(Tensor x, int[] labels) {
            for (Tensor p : parameters()) {
                p.zeroGrad();
            }
            Tensor loss = loss(x, labels);
            loss.backward();
            for (Tensor p : parameters()) {
                float[] d = p.data();
                float[] g = p.grad();
                for (int i = 0; i < d.length; i++) {
                    d[i] -= 0.1f * g[i];
                }
            }
            return loss.item();
        }
    }

    private static final Tensor INPUT = Tensor.randn(new Random(7), 3, 4, 6, 6);
    private static final int[] LABELS = {0, 2, 1};

    /** Losses of three steps, then every parameter's values, as one list of arrays. */
    private static List<float[]> train(Workspace memory) {
        Net net = new Net(1);
        List<float[]> out = new ArrayList<>();
        float[] losses = new float[3];
        for (int s = 0; s < losses.length; s++) {
            if (memory == null) {
                losses[s] = net.step(INPUT, LABELS);
            } else {
                try (Workspace.Scope step = memory.open()) {
                    losses[s] = net.step(INPUT, LABELS);
                }
            }
        }
        out.add(losses);
        for (Tensor p : net.parameters()) {
            out.add(p.data().clone());
        }
        out.add(net.runningMean.data().clone());
        out.add(net.runningVar.data().clone());
        return out;
    }

    @Test
    void trainingWithAPoisonedWorkspaceMatchesTrainingWithoutOneBitForBit() {
        List<float[]> plain = train(null);
        List<float[]> lent = train(Workspace.poisoned());
        assertEquals(plain.size(), lent.size());
        for (int i = 0; i < plain.size(); i++) {
            assertArrayEquals(plain.get(i), lent.get(i), "array " + i + " (0: losses, then parameters)");
        }
        assertTrue(Float.isFinite(plain.get(0)[2]));
    }

    @Test
    void theSecondStepMakesNoNewArrays() {
        Workspace memory = new Workspace();
        Net net = new Net(2);
        try (Workspace.Scope step = memory.open()) {
            net.step(INPUT, LABELS);
        }
        int afterFirst = memory.freeArrays();
        try (Workspace.Scope step = memory.open()) {
            net.step(INPUT, LABELS);
        }
        assertTrue(afterFirst >= 6, "conv, BatchNorm, ReLU and add outputs are lent: " + afterFirst);
        assertEquals(afterFirst, memory.freeArrays(), "a new array in the second step would leave one spare");
    }

    @Test
    void aResultReadAfterItsScopeClosesFailsNamingTheOp() {
        Workspace memory = new Workspace();
        Net net = new Net(3);
        Tensor loss;
        Tensor kept;
        float value;
        try (Workspace.Scope step = memory.open()) {
            loss = net.loss(INPUT, LABELS);
            kept = loss.copy();
            value = loss.item();
        }
        Tensor escaped = loss;
        IllegalStateException e = assertThrows(IllegalStateException.class, escaped::data);
        assertTrue(e.getMessage().contains("cross_entropy") && e.getMessage().contains("Workspace"), e.getMessage());
        assertThrows(IllegalStateException.class, escaped::item);
        assertThrows(IllegalStateException.class, () -> escaped.detach().data());
        assertEquals(value, kept.item());
    }

    @Test
    void parameterGradientsOutliveTheirScope() {
        Workspace memory = Workspace.poisoned();
        Net net = new Net(4);
        Tensor x = INPUT.copy().requiresGrad(true); // a leaf whose gradient arrives through the residual add
        try (Workspace.Scope step = memory.open()) {
            net.loss(x, LABELS).backward();
        }
        float[] gradOfInput = x.grad();
        float[] gradOfW1 = net.w1.grad();
        float[] inputCopy = gradOfInput.clone();
        float[] w1Copy = gradOfW1.clone();
        try (Workspace.Scope step = memory.open()) {
            net.step(INPUT, LABELS);
        }
        assertArrayEquals(inputCopy, gradOfInput, "the leaf's gradient was not lent again");
        assertArrayEquals(w1Copy, gradOfW1);
        for (float v : inputCopy) {
            assertTrue(Float.isFinite(v));
        }
    }

    @Test
    void aSumOfOneResultWithItselfGetsTwiceTheGradient() {
        Tensor a = Tensor.of(new float[] {-1, 2, 3}, 3).requiresGrad(true);
        try (Workspace.Scope step = Workspace.poisoned().open()) {
            Tensor r = Ops.relu(a);
            Ops.sum(Ops.add(r, r)).backward();
        }
        assertArrayEquals(new float[] {0, 2, 2}, a.grad());
    }

    @Test
    void oneScopeAtATime() {
        Workspace memory = new Workspace();
        try (Workspace.Scope step = memory.open()) {
            assertThrows(IllegalStateException.class, memory::open);
            assertThrows(IllegalStateException.class, () -> new Workspace().open());
        }
        try (Workspace.Scope again = memory.open()) {
            assertSame(again, Workspace.current());
        }
    }

    @Test
    void aScopeClosesOnlyOnItsOwnThread() throws InterruptedException {
        Workspace memory = new Workspace();
        try (Workspace.Scope step = memory.open()) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread other = new Thread(() -> {
                try {
                    step.close();
                } catch (IllegalStateException e) {
                    failure.set(e);
                }
            });
            other.start();
            other.join();
            assertTrue(failure.get() instanceof IllegalStateException);
        }
    }

    @Test
    void withoutAScopeOpsMakeTheirOwnArrays() {
        float[] a = Workspace.array(5);
        float[] z = Workspace.zeros(5);
        assertEquals(5, a.length);
        assertArrayEquals(new float[5], z);
    }
}
