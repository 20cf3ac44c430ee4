package org.legodnn.graph.analysis;

import java.util.List;
import org.legodnn.graph.Node;

/**
 * Channels that must be pruned together, as DepGraph / Torch-Pruning define a group: removing channel
 * {@code k} of the group removes the {@code k}-th of {@code members.get(i).indices()} from every member's dimension
 * (a conv's output channels, the next BN's channels, the consumers' input channels, every operand of a
 * residual add, the segment of a concat's consumer).
 *
 * @param members the parameterised layers in the group, in topological order
 * @param size    the number of coupled channels
 * @param fixed   whether the channels reach a graph input or output (image channels, class logits), which
 *                pruning must keep
 */
public record ChannelGroup(List<Member> members, int size, boolean fixed) {

    /** Which dimension of a layer's parameters the group's channels index. */
    public enum Dim {
        /** Output channels: a conv's or Linear's weight rows (dim 0, or dim 1 of a transposed conv) and bias. */
        OUT,
        /** Input channels: dim 1 of a conv's or Linear's weight (dim 0 of a transposed conv). */
        IN,
        /** Per-channel parameters through which channels pass unchanged: BatchNorm, a depthwise conv. */
        CHANNEL
    }

    /**
     * One layer's share of the group: its dimension {@code dim}, at these indices, in the order of the group's
     * channels (one per channel, or several when a flatten turned one channel into several features).
     */
    public record Member(Node node, Dim dim, int[] indices) {
        @Override
        public String toString() {
            String where = node.modulePath().isEmpty() ? node.name() : node.modulePath();
            return where + ":" + dim.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** {@code layer1.0.conv1:out} style labels of the members, for messages and tests. */
    public List<String> labels() {
        return members.stream().map(Member::toString).toList();
    }
}
