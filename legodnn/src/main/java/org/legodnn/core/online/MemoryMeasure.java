package org.legodnn.core.online;

/**
 * What "memory" means in a memory budget: the original LegoDNN counts the bytes of stored parameters only;
 * a device that must also hold the activations asks for both.
 */
public enum MemoryMeasure {
    /** Bytes of stored float32 parameters (BatchNorm running statistics included), as the original counts. */
    PARAMETERS,
    /**
     * Parameter bytes plus the teacher's peak activation bytes at batch 1. Pruning only narrows activations
     * inside blocks and never changes a block's input or output, so the teacher's peak bounds every
     * composition's: the budget is met safely, if conservatively.
     */
    PARAMETERS_AND_ACTIVATIONS
}
