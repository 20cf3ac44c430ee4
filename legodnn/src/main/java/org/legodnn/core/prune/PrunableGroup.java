package org.legodnn.core.prune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.legodnn.graph.analysis.ChannelGroup;

/**
 * One channel-dependency group of a block that the pruner may cut, with the score of every channel, so that
 * choosing the channels to drop at any sparsity is a sort and nothing more. The channels of a grouped
 * convolution come in equal slices (its groups) that must each lose the same number of channels, or the
 * convolution would no longer split into equal groups.
 *
 * @param members the layer dimensions the channels index, nodes of the block graph (from {@link ChannelGroup})
 * @param size    the number of channels
 * @param slices  how many equal slices must shrink alike: 1, or the groups of the grouped convolution that
 *                the channels enter or leave
 * @param sliceOf per channel, its slice (all 0 when {@code slices} is 1)
 * @param scores  per channel, the {@link PruningCriterion}'s value summed over the members; lowest goes first
 */
record PrunableGroup(List<ChannelGroup.Member> members, int size, int slices, int[] sliceOf, double[] scores) {

    PrunableGroup {
        members = List.copyOf(members);
        sliceOf = sliceOf.clone();
        scores = scores.clone();
        if (size <= 0 || slices <= 0 || size % slices != 0 || sliceOf.length != size || scores.length != size) {
            throw new IllegalArgumentException("PrunableGroup: " + size + " channels in " + slices + " slices, "
                    + sliceOf.length + " slice ids and " + scores.length + " scores");
        }
    }

    /**
     * How many channels per slice go at {@code sparsity}: {@code int(C × s)} of the {@code C} channels of a slice
     * (the group's channel count when there is one slice), and never all of them.
     */
    int dropAt(double sparsity) {
        int perSlice = size / slices;
        return Math.min((int) (perSlice * sparsity), perSlice - 1);
    }

    /**
     * The channels (positions in the group, ascending) to drop: the {@code drop} of lowest score in every slice,
     * {@code drop} clamped to {@code [0, C/slices − 1]} so that no slice loses all its channels. Ties go to the
     * lower channel index, so the choice is deterministic.
     */
    int[] removed(int drop) {
        drop = Math.min(drop, size / slices - 1);
        if (drop <= 0) {
            return new int[0];
        }
        List<Integer> out = new ArrayList<>();
        for (int s = 0; s < slices; s++) {
            List<Integer> channels = new ArrayList<>();
            for (int k = 0; k < size; k++) {
                if (sliceOf[k] == s) {
                    channels.add(k);
                }
            }
            channels.sort(Comparator.<Integer>comparingDouble(k -> scores[k]).thenComparingInt(k -> k));
            out.addAll(channels.subList(0, drop));
        }
        return out.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** {@code layer:dim} labels of the members, for messages. */
    List<String> labels() {
        return members.stream().map(ChannelGroup.Member::toString).toList();
    }

    @Override
    public String toString() {
        return "group of " + size + (slices > 1 ? " in " + slices + " slices" : "") + " " + labels()
                + " scores " + Arrays.toString(Arrays.copyOf(scores, Math.min(8, size)));
    }
}
