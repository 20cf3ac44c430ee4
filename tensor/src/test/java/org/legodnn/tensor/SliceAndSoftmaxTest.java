package org.legodnn.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Slicing's index rules (Python's) and softmax on an inner axis, on hand-checked values. */
class SliceAndSoftmaxTest {

    private static Tensor iota(int... shape) {
        float[] d = new float[(int) Shapes.size(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = i;
        }
        return Tensor.of(d, shape);
    }

    @Test
    void sliceTakesEveryStepthValueAlongTheAxis() {
        Tensor y = Ops.slice(iota(2, 5), 1, 1, 5, 2);
        assertArrayEquals(new int[] {2, 2}, y.shape());
        assertArrayEquals(new float[] {1, 3, 6, 8}, y.data());
    }

    @Test
    void sliceCountsNegativeIndicesFromTheEndAndClamps() {
        assertArrayEquals(new float[] {3, 4}, Ops.slice(iota(5), 0, -2, 100, 1).data());
        assertArrayEquals(new float[] {0, 1}, Ops.slice(iota(5), -1, -100, 2, 1).data());
        Tensor empty = Ops.slice(iota(2, 5), 1, 4, 2, 1);
        assertArrayEquals(new int[] {2, 0}, empty.shape());
    }

    @Test
    void sliceOfChannelsKeepsTheOtherAxes() {
        Tensor y = Ops.slice(iota(1, 4, 1, 2), 1, 2, 4, 1);
        assertArrayEquals(new int[] {1, 2, 1, 2}, y.shape());
        assertArrayEquals(new float[] {4, 5, 6, 7}, y.data());
    }

    @Test
    void sliceGradientLandsWhereTheValuesCameFrom() {
        Tensor x = iota(1, 6).requiresGrad(true);
        Ops.slice(x, 1, 1, 6, 3).backward(new float[] {10, 20});
        assertArrayEquals(new float[] {0, 10, 0, 0, 20, 0}, x.grad());
    }

    @Test
    void badSlicesNameTheProblem() {
        String axis = assertThrows(IllegalArgumentException.class, () -> Ops.slice(iota(2, 3), 2, 0, 1, 1)).getMessage();
        assertTrue(axis.contains("axis 2") && axis.contains("[2, 3]"), axis);
        String step = assertThrows(IllegalArgumentException.class, () -> Ops.slice(iota(4), 0, 0, 4, 0)).getMessage();
        assertTrue(step.contains("step"), step);
        String narrow = assertThrows(IllegalArgumentException.class, () -> Ops.narrow(iota(2, 3), 1, 2, 2)).getMessage();
        assertTrue(narrow.contains("length 2") && narrow.contains("size 3"), narrow);
    }

    @Test
    void softmaxOnChannelsNormalizesEachPixel() {
        // [1, 2, 1, 2]: pixel 0 sees channels {0, 2}, pixel 1 sees {1, 3}.
        Tensor y = Ops.softmax(Tensor.of(new float[] {0, 1, 0, 3}, 1, 2, 1, 2), 1);
        double e2 = Math.exp(2);
        assertEquals(0.5f, y.data()[0], 1e-7);
        assertEquals(0.5f, y.data()[2], 1e-7);
        assertEquals(1 / (1 + e2), y.data()[1], 1e-7);
        assertEquals(e2 / (1 + e2), y.data()[3], 1e-7);
    }

    @Test
    void softmaxOnTheLastAxisIsTheDefault() {
        Tensor x = Tensor.randn(new java.util.Random(3), 3, 4);
        assertArrayEquals(Ops.softmax(x).data(), Ops.softmax(x, -1).data());
        assertArrayEquals(Ops.softmax(x).data(), Ops.softmax(x, 1).data());
    }
}
