package org.legodnn.kernels.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Micro-kernel variants against the plain sums they compute, on random panels, depths, targets and epilogues. */
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

    @Test
    void kernelWithEpilogueMatchesTheSumThenBiasResidualAndClamp() {
        Random rnd = new Random(43);
        int mr = GemmMicroKernel.MR, nr = GemmMicroKernel.NR;
        float[][] clamps = {{Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY}, {0f, Float.POSITIVE_INFINITY},
            {0f, 0.5f}};
        for (int trial = 0; trial < 200; trial++) {
            int kc = 1 + rnd.nextInt(70);
            int aIdx = rnd.nextInt(5), bIdx = rnd.nextInt(5), tIdx = rnd.nextInt(5), biasIdx = rnd.nextInt(3);
            int ldt = nr + rnd.nextInt(9);
            boolean add = rnd.nextBoolean();
            float[] ap = random(rnd, aIdx + kc * mr);
            float[] bp = random(rnd, bIdx + kc * nr);
            float[] t = random(rnd, tIdx + (mr - 1) * ldt + nr + 3);
            float[] bias = rnd.nextBoolean() ? random(rnd, biasIdx + mr) : null;
            float[] res = rnd.nextBoolean() ? random(rnd, t.length) : null;
            float[] clamp = clamps[rnd.nextInt(clamps.length)];
            float[] expected = t.clone();
            for (int r = 0; r < mr; r++) {
                for (int j = 0; j < nr; j++) {
                    double sum = 0;
                    for (int p = 0; p < kc; p++) {
                        sum += (double) ap[aIdx + p * mr + r] * bp[bIdx + p * nr + j];
                    }
                    int at = tIdx + r * ldt + j;
                    float v = (float) (add ? expected[at] + sum : sum);
                    v += bias == null ? 0f : bias[biasIdx + r];
                    v += res == null ? 0f : res[at];
                    expected[at] = Math.min(Math.max(v, clamp[0]), clamp[1]);
                }
            }
            GemmMicroKernel.kernelWithEpilogue(kc, ap, aIdx, bp, bIdx, t, tIdx, ldt, add, bias, biasIdx, res, tIdx,
                    clamp[0], clamp[1]);
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
