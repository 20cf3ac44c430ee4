/**
 * Rewrites of a {@link org.legodnn.graph.Graph} for inference: BatchNorm folded into the convolution before
 * it ({@link org.legodnn.graph.transform.FoldBatchNorm}, graph to graph, for any backend) and a convolution's
 * residual add and activation folded into its epilogue ({@link org.legodnn.graph.transform.FuseConvEpilogue},
 * an internal step list for executors such as {@link org.legodnn.graph.exec.CompiledGraph}).
 */
package org.legodnn.graph.transform;
