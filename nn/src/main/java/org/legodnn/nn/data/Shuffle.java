package org.legodnn.nn.data;

import java.util.SplittableRandom;

/**
 * Seeded randomness for data: the order of an epoch and the random draws of each sample's augmentation are
 * pure functions of (seed, epoch, sample), so that a run is reproducible, a resumed run sees exactly the
 * batches an uninterrupted run would have seen, and the result does not depend on which thread prepared a
 * batch.
 */
public final class Shuffle {

    private Shuffle() {
    }

    /** A random permutation of {@code 0..n-1} for {@code epoch} of a run seeded with {@code seed} (Fisher–Yates). */
    public static int[] permutation(int n, long seed, int epoch) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom rnd = new SplittableRandom(mix(seed, epoch));
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** The generator for one sample's augmentation in one epoch. */
    public static SplittableRandom sampleRandom(long seed, int epoch, int sample) {
        return new SplittableRandom(mix(mix(seed, epoch) ^ 0x5DEECE66DL, sample));
    }

    /** Combines a seed and a counter into a well-spread 64-bit seed (SplitMix64's finalizer). */
    static long mix(long seed, long counter) {
        long z = seed + (counter + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
