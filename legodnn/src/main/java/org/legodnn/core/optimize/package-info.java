/**
 * LegoDNN's run-time scaling optimizer: the integer program that picks one descendant per block to lose the
 * least accuracy within a latency and memory budget ({@link org.legodnn.core.optimize.ScalingProblem}), solved
 * exactly by a built-in branch and bound ({@link org.legodnn.core.optimize.BranchAndBound}) with dominance
 * pruning, a greedy incumbent and LP-relaxation bounds, budget relaxation when nothing fits
 * ({@link org.legodnn.core.optimize.Relaxation}), and a reader for the original implementation's profile files
 * ({@link org.legodnn.core.optimize.OriginalProfiles}).
 */
package org.legodnn.core.optimize;
