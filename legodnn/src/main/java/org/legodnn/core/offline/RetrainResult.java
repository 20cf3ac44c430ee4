package org.legodnn.core.offline;

/**
 * What retraining achieved for one descendant: held-out MSE against the teacher's block output before any
 * step and at the kept epoch (0 = the untrained weights were best and kept).
 */
public record RetrainResult(int blockIndex, double sparsity, double mseBefore, double mseBest, int bestEpoch) {
}
