package org.legodnn.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Cross-entropy of {@code [N, C, H, W]} logits, the segmentation loss: by definition it is the classification
 * loss of the {@code N·H·W} rows {@code [C]} that moving the class axis last gives (PyTorch's own equivalence),
 * so it is checked against that, value and gradient.
 */
class SpatialCrossEntropyTest {

    @Test
    void equalsRowWiseCrossEntropyOfThePixels() {
        Random rnd = new Random(5);
        int n = 2;
        int c = 4;
        int h = 3;
        int w = 5;
        float[] x = new float[n * c * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian() * 3;
        }
        int[] target = new int[n * h * w];
        for (int i = 0; i < target.length; i++) {
            target[i] = rnd.nextInt(c);
        }
        // [N, C, H, W] -> [N·H·W, C]
        float[] rows = new float[x.length];
        for (int b = 0; b < n; b++) {
            for (int k = 0; k < c; k++) {
                for (int p = 0; p < h * w; p++) {
                    rows[(b * h * w + p) * c + k] = x[(b * c + k) * h * w + p];
                }
            }
        }
        Tensor spatial = Tensor.of(x.clone(), n, c, h, w).requiresGrad(true);
        Tensor flat = Tensor.of(rows, n * h * w, c).requiresGrad(true);
        Tensor a = Ops.crossEntropy(spatial, target);
        Tensor b = Ops.crossEntropy(flat, target);
        assertEquals(b.item(), a.item(), 1e-6);
        a.backward();
        b.backward();
        float[] back = new float[x.length];
        for (int bi = 0; bi < n; bi++) {
            for (int k = 0; k < c; k++) {
                for (int p = 0; p < h * w; p++) {
                    back[(bi * c + k) * h * w + p] = flat.grad()[(bi * h * w + p) * c + k];
                }
            }
        }
        assertArrayEquals(back, spatial.grad(), 1e-7f);
    }

    @Test
    void uniformLogitsCostLogOfTheClasses() {
        Tensor zeros = Tensor.zeros(1, 11, 4, 4);
        assertEquals(Math.log(11), Ops.crossEntropy(zeros, new int[16]).item(), 1e-6);
    }

    @Test
    void refusesAWrongNumberOfTargetsOrAClassOutOfRange() {
        Tensor x = Tensor.zeros(2, 3, 2, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ops.crossEntropy(x, new int[4]));
        assertTrue(e.getMessage().contains("need 8 targets"), e.getMessage());
        int[] bad = new int[8];
        bad[5] = 3;
        e = assertThrows(IllegalArgumentException.class, () -> Ops.crossEntropy(x, bad));
        assertTrue(e.getMessage().contains("target[5] = 3"), e.getMessage());
    }
}
