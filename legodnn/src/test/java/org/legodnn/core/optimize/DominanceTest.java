package org.legodnn.core.optimize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Options no better than another in cost, latency and memory are dropped; exact ties keep the lower index. */
class DominanceTest {

    @Test
    void dropsDominatedAndLaterTies() {
        double[] cost = {0, 0, 1, 2, 0.5};
        double[] lat = {5, 5, 3, 4, 6};
        double[] mem = {5, 5, 3, 3, 1};
        // 1 ties 0 (later: dropped); 3 is no better than 2 anywhere; 4 is cheapest in memory
        assertArrayEquals(new int[] {0, 2, 4}, Dominance.keep(cost, lat, mem));
    }

    @Test
    void negativeValuesAndSingleOptions() {
        assertArrayEquals(new int[] {0}, Dominance.keep(new double[] {1}, new double[] {-1}, new double[] {-2}));
        assertArrayEquals(new int[] {1}, Dominance.keep(new double[] {0, -0.1}, new double[] {0.2, -0.3},
                new double[] {0, 0}), "a pruned block measured faster and more accurate wins outright");
        assertArrayEquals(new int[] {0, 1}, Dominance.keep(new double[] {0, 0.1}, new double[] {0.2, -0.3},
                new double[] {0, 0}));
    }

    @Test
    void keptOptionsCoverTheDroppedOnesAndDoNotDominateEachOther() {
        Random rnd = new Random(5);
        for (int t = 0; t < 2000; t++) {
            int k = 1 + rnd.nextInt(8);
            double[] c = new double[k];
            double[] l = new double[k];
            double[] m = new double[k];
            for (int j = 0; j < k; j++) {
                c[j] = rnd.nextInt(4);
                l[j] = rnd.nextInt(4) - 1;
                m[j] = rnd.nextInt(4);
            }
            int[] kept = Dominance.keep(c, l, m);
            assertTrue(kept.length >= 1);
            for (int j = 0; j < k; j++) {
                int jj = j;
                boolean isKept = Arrays.stream(kept).anyMatch(x -> x == jj);
                boolean covered = Arrays.stream(kept).anyMatch(o -> c[o] <= c[jj] && l[o] <= l[jj] && m[o] <= m[jj]);
                assertTrue(covered, "every option is matched by a kept one");
                if (isKept) {
                    for (int o : kept) {
                        if (o != j) {
                            assertFalse(c[o] <= c[j] && l[o] <= l[j] && m[o] <= m[j], "kept options do not dominate each other");
                        }
                    }
                }
            }
        }
    }
}
