/**
 * Rewrites of a {@link org.legodnn.graph.Graph} for inference: BatchNorm folded into the convolution before
 * it ({@link org.legodnn.graph.transform.FoldBatchNorm}, graph to graph, for any device) and a convolution's
 * residual add and the activations after convolutions, adds and Gemms folded into their epilogues
 * ({@link org.legodnn.graph.transform.FuseEpilogues}, the step list that {@link org.legodnn.graph.exec.CompiledGraph}
 * plans for every device).
 */
package org.legodnn.graph.transform;
