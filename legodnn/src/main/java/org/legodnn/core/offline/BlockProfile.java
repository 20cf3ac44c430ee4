package org.legodnn.core.offline;

import org.legodnn.core.prune.Precision;

/**
 * The profile of one descendant: what the scaling optimizer trades (accuracy against size, FLOPs and memory).
 *
 * @param blockIndex          the block
 * @param sparsity            the descendant's sparsity
 * @param accuracyDrop        top-1 accuracy lost by swapping this descendant in for the block at sparsity 0,
 *                            averaged over the three environments of {@link Profiler} (a fraction, may be < 0)
 * @param params              parameters as LegoDNN counts them (weights, BN scale and shift)
 * @param flops               FLOPs (thop-doubled) at the traced input shape
 * @param sizeBytes           bytes of stored float32 parameters, BatchNorm running statistics included
 *                            (4 × every stored value, as the original's {@code model_size}; for int8 see
 *                            {@link Profiler#storedBytes})
 * @param peakActivationBytes the most activation bytes alive at once while the block runs at the traced batch
 *                            size (beyond the original)
 * @param precision           the descendant's number format; {@code sizeBytes} counts int8 weights as 1 byte
 */
public record BlockProfile(int blockIndex, double sparsity, double accuracyDrop, long params, long flops,
                           long sizeBytes, long peakActivationBytes, Precision precision) {

    /** The profile of a float32 descendant. */
    public BlockProfile(int blockIndex, double sparsity, double accuracyDrop, long params, long flops, long sizeBytes,
                        long peakActivationBytes) {
        this(blockIndex, sparsity, accuracyDrop, params, flops, sizeBytes, peakActivationBytes, Precision.FP32);
    }
}
