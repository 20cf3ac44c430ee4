package org.legodnn.kernels.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The micro-kernels against the plain sums they compute, on random panels, depths, targets and starting values. */
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
    void kernelPlusStartsFromTheGivenRowsAndKeepsTheRestOfTheTarget() {
        // T = S + A·B for a separate S (rows lds apart, lds 0 repeating one row) and for S = T (accumulate).
        Random rnd = new Random(42);
        int mr = GemmMicroKernel.MR, nr = GemmMicroKernel.NR;
        for (int trial = 0; trial < 200; trial++) {
            int kc = 1 + rnd.nextInt(70);
            int aIdx = rnd.nextInt(5), bIdx = rnd.nextInt(5), tIdx = rnd.nextInt(5), sIdx = rnd.nextInt(5);
            int ldt = nr + rnd.nextInt(9);
            int lds = new int[] {0, nr, nr + 3}[rnd.nextInt(3)];
            boolean inPlace = rnd.nextInt(4) == 0;
            float[] ap = random(rnd, aIdx + kc * mr);
            float[] bp = random(rnd, bIdx + kc * nr);
            float[] t = random(rnd, tIdx + (mr - 1) * ldt + nr + 3);
            float[] s = inPlace ? t : random(rnd, sIdx + (mr - 1) * lds + nr + 2);
            int s0 = inPlace ? tIdx : sIdx, ls = inPlace ? ldt : lds;
            float[] expected = t.clone();
            for (int r = 0; r < mr; r++) {
                for (int j = 0; j < nr; j++) {
                    double sum = 0;
                    for (int p = 0; p < kc; p++) {
                        sum += (double) ap[aIdx + p * mr + r] * bp[bIdx + p * nr + j];
                    }
                    expected[tIdx + r * ldt + j] = (float) (s[s0 + r * ls + j] + sum);
                }
            }
            GemmMicroKernel.kernelPlus(kc, ap, aIdx, bp, bIdx, t, tIdx, ldt, s, s0, ls);
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
