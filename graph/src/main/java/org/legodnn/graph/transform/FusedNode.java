package org.legodnn.graph.transform;

import org.legodnn.graph.Node;
import org.legodnn.graph.Op;

/**
 * One step of a graph prepared for inference by {@link FuseConvEpilogue}: a node of the graph and, for a
 * convolution, the ops folded into its output — a residual added to it and a clamp after that — so that a
 * backend computes {@code clamp(conv(x) + residual, clampMin, clampMax)} in one pass. An internal form for
 * executors: it is not a {@link org.legodnn.graph.Graph} and never exported.
 *
 * @param node     the node; a fused convolution's output is renamed to the last fused op's output
 * @param residual the value added to a convolution's output (same shape), or null
 * @param clampMin lower bound after the add ({@code -∞}: none; ReLU and ReLU6: 0)
 * @param clampMax upper bound ({@code +∞}: none; ReLU6: 6)
 */
public record FusedNode(Node node, String residual, float clampMin, float clampMax) {

    /** A node that runs as it is. */
    public static FusedNode plain(Node node) {
        return new FusedNode(node, null, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
    }

    /** Whether this is a convolution with a residual or a clamp folded in. */
    public boolean isFused() {
        return node.op() == Op.CONV
                && (residual != null || clampMin != Float.NEGATIVE_INFINITY || clampMax != Float.POSITIVE_INFINITY);
    }

    @Override
    public String toString() {
        return isFused() ? node + " + " + (residual == null ? "" : "residual " + residual + " ") + "clamp ["
                + clampMin + ", " + clampMax + "]" : node.toString();
    }
}
