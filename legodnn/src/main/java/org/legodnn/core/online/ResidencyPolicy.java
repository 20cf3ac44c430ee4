package org.legodnn.core.online;

import java.util.Arrays;

/**
 * Which descendants the block switcher keeps loaded between switches, so that memory follows the
 * composition: the ones the live selection uses, plus a preloaded set that later switches take without a
 * load (LegoDNN's switch between preloaded blocks costs no I/O). Everything else is dropped on every switch.
 *
 * @param preloaded per block, the descendant indices to keep loaded; blocks past the end of the array keep none
 */
public record ResidencyPolicy(int[][] preloaded) {

    public ResidencyPolicy {
        int[][] copy = new int[preloaded.length][];
        for (int i = 0; i < preloaded.length; i++) {
            copy[i] = preloaded[i] == null ? new int[0] : preloaded[i].clone();
        }
        preloaded = copy;
    }

    /** Keeps only what the live selection uses. */
    public static ResidencyPolicy selectedOnly() {
        return new ResidencyPolicy(new int[0][]);
    }

    /** Keeps, besides the live selection, descendants {@code perBlock[i]} of block {@code i}. */
    public static ResidencyPolicy preload(int[]... perBlock) {
        return new ResidencyPolicy(perBlock);
    }

    /** Whether descendant {@code j} of the {@code block}-th block stays loaded while {@code selection} is live. */
    public boolean keeps(int block, int j, int[] selection) {
        return selection[block] == j || isPreloaded(block, j);
    }

    /** Whether descendant {@code j} of the {@code block}-th block is in the preloaded set. */
    public boolean isPreloaded(int block, int j) {
        if (block >= preloaded.length) {
            return false;
        }
        for (int k : preloaded[block]) {
            if (k == j) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int[][] preloaded() {
        int[][] copy = new int[preloaded.length][];
        for (int i = 0; i < preloaded.length; i++) {
            copy[i] = preloaded[i].clone();
        }
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResidencyPolicy p && Arrays.deepEquals(preloaded, p.preloaded);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(preloaded);
    }

    @Override
    public String toString() {
        return "keep the selection" + (preloaded.length == 0 ? "" : " and preloaded " + Arrays.deepToString(preloaded));
    }
}
