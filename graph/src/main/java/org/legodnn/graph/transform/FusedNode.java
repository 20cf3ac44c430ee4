package org.legodnn.graph.transform;

import org.legodnn.graph.Node;

/**
 * One step of a graph prepared for inference by {@link FuseEpilogues}: a node of the graph and the ops folded
 * into its output — for a convolution a residual added to it, for it and a few others a clamp after that — so
 * that a device computes {@code clamp(conv(x) + residual, clampMin, clampMax)} in one pass. An internal form for
 * executors: it is not a {@link org.legodnn.graph.Graph} and never exported.
 *
 * @param node     the node; a fused node's output is renamed to the last fused op's output
 * @param residual the value added to a convolution's output (same shape), or null
 * @param clampMin lower bound after the add ({@code -∞}: none; ReLU and ReLU6: 0)
 * @param clampMax upper bound ({@code +∞}: none; ReLU6: 6)
 */
public record FusedNode(Node node, String residual, float clampMin, float clampMax) {

    /** A node that runs as it is. */
    public static FusedNode plain(Node node) {
        return new FusedNode(node, null, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
    }

    /** Whether a residual or a clamp is folded in. */
    public boolean isFused() {
        return residual != null || hasClamp();
    }

    /** Whether a clamp is folded in. */
    public boolean hasClamp() {
        return clampMin != Float.NEGATIVE_INFINITY || clampMax != Float.POSITIVE_INFINITY;
    }

    /** What the step computes, for profiles and messages, e.g. {@code layer1.0.conv2 conv+add+relu}. */
    public String label() {
        StringBuilder sb = new StringBuilder(node.name()).append(' ').append(node.op().label());
        if (residual != null) {
            sb.append("+add");
        }
        if (hasClamp()) {
            sb.append(clampMax == Float.POSITIVE_INFINITY && clampMin == 0f ? "+relu"
                    : clampMin == 0f && clampMax == 6f ? "+relu6" : "+clip");
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return isFused() ? node + " + " + (residual == null ? "" : "residual " + residual + " ") + "clamp ["
                + clampMin + ", " + clampMax + "]" : node.toString();
    }
}
