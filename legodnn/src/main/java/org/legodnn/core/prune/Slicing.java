package org.legodnn.core.prune;

import org.legodnn.tensor.Tensor;

/**
 * Copies the kept part of a weight tensor into a new, smaller tensor: what makes a descendant physically
 * smaller rather than masked. Plain loops over the row-major data with explicit offsets.
 */
final class Slicing {

    private Slicing() {
    }

    /** The indices {@code i < mask.length} with {@code !mask[i]}, ascending. */
    static int[] kept(boolean[] mask) {
        int n = 0;
        for (boolean m : mask) {
            n += m ? 0 : 1;
        }
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i < mask.length; i++) {
            if (!mask[i]) {
                out[k++] = i;
            }
        }
        return out;
    }

    /** Whether any entry of {@code mask} is set (a null mask removes nothing). */
    static boolean any(boolean[] mask) {
        if (mask != null) {
            for (boolean m : mask) {
                if (m) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code t} with only the entries {@code keep} (ascending indices) along {@code axis}. */
    static Tensor keep(Tensor t, int axis, int[] keep) {
        int[] shape = t.shape();
        if (axis < 0 || axis >= shape.length) {
            throw new IllegalArgumentException("prune: axis " + axis + " of a tensor of rank " + shape.length);
        }
        int outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= shape[d];
        }
        int inner = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        int n = shape[axis];
        int[] newShape = shape.clone();
        newShape[axis] = keep.length;
        float[] src = t.data();
        float[] dst = new float[outer * keep.length * inner];
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < keep.length; k++) {
                if (keep[k] < 0 || keep[k] >= n) {
                    throw new IllegalArgumentException("prune: index " + keep[k] + " outside axis " + axis + " of size " + n);
                }
                System.arraycopy(src, (o * n + keep[k]) * inner, dst, (o * keep.length + k) * inner, inner);
            }
        }
        return Tensor.of(dst, newShape);
    }

    /** {@code t} with {@code mask}'s entries removed along {@code axis}; {@code t} itself when the mask removes nothing. */
    static Tensor remove(Tensor t, int axis, boolean[] mask) {
        if (!any(mask)) {
            return t;
        }
        if (mask.length != t.dim(axis)) {
            throw new IllegalArgumentException("prune: a mask of " + mask.length + " channels for axis " + axis
                    + " of size " + t.dim(axis));
        }
        return keep(t, axis, kept(mask));
    }

    /**
     * The weight {@code [Cout, Cin/groups, kh, kw]} of a grouped convolution whose input channels lose the
     * entries of {@code inMask} (over all {@code Cin} channels): each output row keeps the input channels that
     * survive in its own group. Every group must keep the same number, so that the weight stays rectangular.
     */
    static Tensor removeGroupedInputs(Tensor w, int groups, boolean[] inMask) {
        if (!any(inMask)) {
            return w;
        }
        int cout = w.dim(0);
        int perGroup = w.dim(1);
        int spatial = w.dim(2) * w.dim(3);
        if (inMask.length != perGroup * groups || cout % groups != 0) {
            throw new IllegalArgumentException("prune: grouped conv weight [" + cout + ", " + perGroup + ", ...] with "
                    + groups + " groups and an input mask of " + inMask.length + " channels");
        }
        int[][] keptLocal = new int[groups][];
        for (int g = 0; g < groups; g++) {
            boolean[] local = new boolean[perGroup];
            System.arraycopy(inMask, g * perGroup, local, 0, perGroup);
            keptLocal[g] = kept(local);
            if (keptLocal[g].length != keptLocal[0].length) {
                throw new IllegalArgumentException("prune: grouped conv: group " + g + " keeps " + keptLocal[g].length
                        + " input channels, group 0 keeps " + keptLocal[0].length + "; they must be equal");
            }
        }
        int newPer = keptLocal[0].length;
        int rowsPerGroup = cout / groups;
        float[] src = w.data();
        float[] dst = new float[cout * newPer * spatial];
        for (int o = 0; o < cout; o++) {
            int[] keep = keptLocal[o / rowsPerGroup];
            for (int j = 0; j < newPer; j++) {
                System.arraycopy(src, (o * perGroup + keep[j]) * spatial, dst, (o * newPer + j) * spatial, spatial);
            }
        }
        return Tensor.of(dst, cout, newPer, w.dim(2), w.dim(3));
    }
}
