package org.legodnn.graph.analysis;

import org.legodnn.graph.Node;

/**
 * What one node costs: its output shape, the parameters it owns (weights and BN scale/shift, not running
 * statistics, as LegoDNN counts them), the bytes of all its constant inputs, its {@link Flops} and the bytes
 * of its output (float32).
 */
public record NodeStats(Node node, int[] outputShape, long params, long weightBytes, long flops, long outputBytes) {
}
