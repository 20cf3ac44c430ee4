package org.legodnn.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ShuffleAugmentTest {

    @Test
    void permutationIsSeededAndComplete() {
        int[] a = Shuffle.permutation(1000, 42, 3);
        assertArrayEquals(a, Shuffle.permutation(1000, 42, 3));
        assertFalse(Arrays.equals(a, Shuffle.permutation(1000, 42, 4)), "epochs differ");
        assertFalse(Arrays.equals(a, Shuffle.permutation(1000, 43, 3)), "seeds differ");
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
        assertEquals(0, Shuffle.permutation(0, 1, 0).length);
        assertArrayEquals(new int[] {0}, Shuffle.permutation(1, 1, 0));
    }

    private static float[] image(int c, int h, int w) {
        float[] x = new float[c * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    @Test
    void augmentationIsAFunctionOfSeedEpochAndSample() {
        Augment aug = new Augment(2, true);
        float[] src = image(2, 6, 5);
        float[] a = new float[src.length];
        float[] b = new float[src.length];
        aug.apply(src, 0, a, 0, 2, 6, 5, Shuffle.sampleRandom(7, 1, 11));
        aug.apply(src, 0, b, 0, 2, 6, 5, Shuffle.sampleRandom(7, 1, 11));
        assertArrayEquals(a, b);
        boolean anyDifferent = false;
        for (int s = 0; s < 20 && !anyDifferent; s++) {
            aug.apply(src, 0, b, 0, 2, 6, 5, Shuffle.sampleRandom(7, 1, 12 + s));
            anyDifferent = !Arrays.equals(a, b);
        }
        assertTrue(anyDifferent, "other samples get other crops");
    }

    @Test
    void noneIsTheIdentity() {
        float[] src = image(3, 4, 4);
        float[] dst = new float[src.length];
        Augment.NONE.apply(src, 0, dst, 0, 3, 4, 4, new SplittableRandom(1));
        assertArrayEquals(src, dst);
        assertTrue(Augment.NONE.isIdentity());
        assertThrows(IllegalArgumentException.class, () -> new Augment(-1, false));
    }

    /** Replays the draws: dy, dx uniform in [-p, p], then the flip. */
    @Test
    void cropShiftsWithZeroFillAndFlipMirrors() {
        int c = 2;
        int h = 5;
        int w = 4;
        int p = 2;
        Augment aug = new Augment(p, true);
        float[] src = image(c, h, w);
        float[] dst = new float[src.length];
        boolean sawFlip = false;
        boolean sawPlain = false;
        for (int s = 0; s < 200; s++) {
            SplittableRandom replay = new SplittableRandom(s);
            int dy = replay.nextInt(2 * p + 1) - p;
            int dx = replay.nextInt(2 * p + 1) - p;
            boolean mirror = replay.nextBoolean();
            sawFlip |= mirror;
            sawPlain |= !mirror;
            aug.apply(src, 0, dst, 0, c, h, w, new SplittableRandom(s));
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int sy = y + dy;
                        int sx = (mirror ? w - 1 - x : x) + dx;
                        float want = sy < 0 || sy >= h || sx < 0 || sx >= w ? 0f : src[ch * h * w + sy * w + sx];
                        assertEquals(want, dst[ch * h * w + y * w + x], "seed " + s + " at " + ch + "," + y + "," + x);
                    }
                }
            }
        }
        assertTrue(sawFlip && sawPlain);
    }

    @Test
    void normalizeDividesPerChannel() {
        Normalize n = new Normalize(new float[] {0.5f, 0.25f}, new float[] {0.5f, 2f});
        float[] x = {1f, 0f, 0.25f, 4.25f};
        n.apply(x, 0, 2);
        assertArrayEquals(new float[] {1f, -1f, 0f, 2f}, x);
        assertEquals(n, Normalize.parse(n.meanString(), n.stdString()));
        assertThrows(IllegalArgumentException.class, () -> new Normalize(new float[] {0}, new float[] {0}));
    }
}
