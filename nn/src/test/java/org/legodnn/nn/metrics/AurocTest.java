package org.legodnn.nn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** AUROC on cases worked out by hand (each pair of an anomaly and a normal sample: 1 won, 1/2 tied, 0 lost). */
class AurocTest {

    @Test
    void scikitLearnsExample() {
        // roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]): pairs (0.35 > 0.1), (0.35 < 0.4), (0.8 > both) = 3/4.
        assertEquals(0.75, Auroc.of(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, false, true, true}),
                1e-12);
    }

    @Test
    void tiesCountOneHalf() {
        // Anomalies 2 and 3, normals 1 and 2: 2>1 won, 2=2 half, 3>1 and 3>2 won: 3.5 of 4 pairs.
        assertEquals(0.875, Auroc.of(new double[] {1, 2, 2, 3}, new boolean[] {false, false, true, true}), 1e-12);
        // Every score equal: every pair ties.
        assertEquals(0.5, Auroc.of(new double[] {7, 7, 7, 7, 7}, new boolean[] {true, false, true, false, false}),
                1e-12);
        // Perfectly separated, and reversed.
        assertEquals(1.0, Auroc.of(new double[] {0, 1, 5, 6}, new boolean[] {false, false, true, true}), 1e-12);
        assertEquals(0.0, Auroc.of(new double[] {5, 6, 0, 1}, new boolean[] {false, false, true, true}), 1e-12);
    }

    @Test
    void equalsCountingEveryPairOnRandomTiedScores() {
        Random rnd = new Random(3);
        for (int t = 0; t < 20; t++) {
            int n = 2 + rnd.nextInt(200);
            double[] s = new double[n];
            boolean[] a = new boolean[n];
            for (int i = 0; i < n; i++) {
                s[i] = rnd.nextInt(8);   // many ties
                a[i] = rnd.nextInt(3) == 0;
            }
            a[0] = true;
            a[1] = false;
            double won = 0;
            long pairs = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (a[i] && !a[j]) {
                        pairs++;
                        won += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                    }
                }
            }
            assertEquals(won / pairs, Auroc.of(s, a), 1e-12);
        }
    }

    @Test
    void undefinedWithOneClassAndRefusesBadInput() {
        assertTrue(Double.isNaN(Auroc.of(new double[] {1, 2}, new boolean[] {true, true})));
        assertThrows(IllegalArgumentException.class, () -> Auroc.of(new double[] {1}, new boolean[] {true, false}));
        assertThrows(IllegalArgumentException.class,
                () -> Auroc.of(new double[] {Double.NaN, 1}, new boolean[] {true, false}));
    }
}
