package org.legodnn.core.optimize;

/**
 * Sorts indices by a {@code double} key without boxing, because the bound's set-up sorts hull segments by
 * slope dozens of times per solve; stable, so equal keys keep their order and results are reproducible.
 */
final class IndexSort {

    private IndexSort() {
    }

    /** Sorts {@code idx[0..n)} so that {@code key[idx[t]]} ascends; {@code tmp} has room for {@code n}. */
    static void byKey(int[] idx, int n, double[] key, int[] tmp) {
        if (n < 24) {
            insertion(idx, 0, n, key);
            return;
        }
        for (int lo = 0; lo < n; lo += 16) {
            insertion(idx, lo, Math.min(lo + 16, n), key);
        }
        int[] src = idx;
        int[] dst = tmp;
        for (int width = 16; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + 2 * width, n);
                int a = lo;
                int b = mid;
                int o = lo;
                while (a < mid && b < hi) {
                    dst[o++] = key[src[b]] < key[src[a]] ? src[b++] : src[a++];
                }
                while (a < mid) {
                    dst[o++] = src[a++];
                }
                while (b < hi) {
                    dst[o++] = src[b++];
                }
            }
            int[] t = src;
            src = dst;
            dst = t;
        }
        if (src != idx) {
            System.arraycopy(src, 0, idx, 0, n);
        }
    }

    private static void insertion(int[] idx, int lo, int hi, double[] key) {
        for (int i = lo + 1; i < hi; i++) {
            int v = idx[i];
            double k = key[v];
            int j = i - 1;
            while (j >= lo && key[idx[j]] > k) {
                idx[j + 1] = idx[j];
                j--;
            }
            idx[j + 1] = v;
        }
    }
}
