package org.legodnn.core.prune;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns one sparsity into the number of channels each channel group loses, so that the whole-model pruner can
 * spend it evenly or globally ({@link PruningAllocation}) and keep channel counts that the kernels like: every
 * group's kept count is rounded to the nearest multiple of {@code roundTo} (8 fills the 8 float lanes of an AVX2
 * vector), never to 0. The counts are per slice of a grouped convolution, as {@link PrunableGroup#removed(int)}
 * takes them; with slices the kept count is rounded to a multiple of {@code lcm(roundTo, slices)}.
 */
final class GroupDrops {

    private GroupDrops() {
    }

    /** Per group of {@code groups}, the channels per slice to drop at {@code sparsity} in [0, 1). */
    static int[] of(List<PrunableGroup> groups, double sparsity, PruningAllocation allocation, int roundTo) {
        int[] drops = allocation == PruningAllocation.GLOBAL ? global(groups, sparsity) : uniform(groups, sparsity);
        for (int i = 0; i < drops.length; i++) {
            drops[i] = rounded(groups.get(i), drops[i], roundTo);
        }
        return drops;
    }

    private static int[] uniform(List<PrunableGroup> groups, double sparsity) {
        int[] drops = new int[groups.size()];
        for (int i = 0; i < drops.length; i++) {
            drops[i] = groups.get(i).dropAt(sparsity);
        }
        return drops;
    }

    /** One channel of one group, with its score divided by its group's mean score. */
    private record Ranked(int group, int channel, double score) {
    }

    /** The {@code int(N × s)} channels of lowest normalized score, N all the groups' channels, counted per group. */
    private static int[] global(List<PrunableGroup> groups, double sparsity) {
        List<Ranked> all = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            double[] scores = groups.get(g).scores();
            double mean = 0;
            for (double s : scores) {
                mean += s / scores.length;
            }
            for (int k = 0; k < scores.length; k++) {
                all.add(new Ranked(g, k, mean > 0 ? scores[k] / mean : 0));
            }
        }
        all.sort(Comparator.comparingDouble(Ranked::score).thenComparingInt(Ranked::group)
                .thenComparingInt(Ranked::channel));
        int[] count = new int[groups.size()];
        int n = (int) (all.size() * sparsity);
        for (int k = 0; k < n; k++) {
            count[all.get(k).group()]++;
        }
        int[] drops = new int[groups.size()];
        for (int g = 0; g < drops.length; g++) {
            PrunableGroup group = groups.get(g);
            drops[g] = Math.min(count[g] / group.slices(), group.size() / group.slices() - 1);
        }
        return drops;
    }

    /** {@code drop} changed so that the kept channel count is a multiple of the rounding unit, at least one unit. */
    static int rounded(PrunableGroup g, int drop, int roundTo) {
        if (roundTo < 1) {
            throw new IllegalArgumentException("GroupDrops: round-to " + roundTo + " (expected at least 1)");
        }
        int unit = lcm(roundTo, g.slices());
        if (unit >= g.size()) {
            return 0; // no multiple of the unit below the group's size: the group stays whole
        }
        int kept = g.size() - drop * g.slices();
        int units = (int) Math.max(1, Math.round(kept / (double) unit));
        int keptRounded = Math.min(g.size(), units * unit);
        return (g.size() - keptRounded) / g.slices();
    }

    private static int lcm(int a, int b) {
        int x = a;
        int y = b;
        while (y != 0) {
            int t = x % y;
            x = y;
            y = t;
        }
        return a / x * b;
    }
}
