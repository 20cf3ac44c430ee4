package org.legodnn.core.prune;

/**
 * How the pruner ranks the channels of a block so that the least important ones go first: LegoDNN uses the
 * L1 norm of each filter (NNI's {@code L1FilterPruner}); the BatchNorm scale is the network-slimming
 * alternative (Liu et al. 2017), offered as an option. Channels that several layers share (one
 * channel-dependency group) are ranked by the sum of their members' criteria, so coupled layers lose the same
 * channels.
 */
public enum PruningCriterion {
    /**
     * The sum of absolute weights of the filter that produces the channel, summed over every conv, transposed
     * conv or Linear layer of the group that produces it (the original's criterion).
     */
    L1_NORM,
    /**
     * The magnitude {@code |gamma|} of the channel's BatchNorm scale, summed over the BatchNorms of the group;
     * a group without a BatchNorm falls back to {@link #L1_NORM}.
     */
    BN_SCALE
}
