package org.legodnn.kernels.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The one-vector micro-kernel against the plain sum it computes, on random panels, depths and targets. */
class GemmMicroKernelTest {

    @Test
    void oneVectorKernelMatchesThePlainSum() {
        Random rnd = new Random(41);
        int mr = GemmMicroKernel.MR, l = GemmMicroKernel.L;
        for (int trial = 0; trial < 200; trial++) {
            int kc = 1 + rnd.nextInt(70);
            int aIdx = rnd.nextInt(5), bIdx = rnd.nextInt(5), tIdx = rnd.nextInt(5);
            int ldt = l + rnd.nextInt(9);
            boolean add = rnd.nextBoolean();
            float[] ap = random(rnd, aIdx + kc * mr);
            float[] bp = random(rnd, bIdx + kc * l);
            float[] t = random(rnd, tIdx + (mr - 1) * ldt + l + 3);
            float[] expected = t.clone();
            for (int r = 0; r < mr; r++) {
                for (int j = 0; j < l; j++) {
                    double sum = 0;
                    for (int p = 0; p < kc; p++) {
                        sum += (double) ap[aIdx + p * mr + r] * bp[bIdx + p * l + j];
                    }
                    int at = tIdx + r * ldt + j;
                    expected[at] = (float) (add ? expected[at] + sum : sum);
                }
            }
            GemmMicroKernel.kernelOneVector(kc, ap, aIdx, bp, bIdx, t, tIdx, ldt, add);
            for (int i = 0; i < t.length; i++) {
                assertEquals(expected[i], t[i], 1e-5f * (1 + kc), "trial " + trial + " kc " + kc + " at " + i);
            }
        }
    }

    private static float[] random(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextFloat() * 2 - 1;
        }
        return a;
    }
}
