package org.legodnn.nn;

import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/**
 * Batch normalization over the channels of {@code [N, C, H, W]}, as PyTorch's {@code nn.BatchNorm2d}: in
 * training it normalizes with the batch's statistics and moves the running ones towards them
 * (running = (1 − momentum)·running + momentum·batch, unbiased variance); in eval it uses the running ones.
 *
 * <p>State-dict names: {@code weight}, {@code bias} (when affine), {@code running_mean}, {@code running_var}
 * and {@code num_batches_tracked} (when tracking running stats). PyTorch stores the last as an int64 scalar;
 * here it is a float scalar (exact up to 2²⁴ batches) that counts training batches, and, as PyTorch does for
 * state dicts that predate it, loading accepts its absence (the reference state dicts omit it).
 */
public final class BatchNorm2d extends Module {

    private final int numFeatures;
    private final float eps;
    private final float momentum;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor numBatchesTracked;

    /** eps 1e-5, momentum 0.1, affine, tracking running statistics. */
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5f, 0.1f, true, true);
    }

    public BatchNorm2d(int numFeatures, float eps, float momentum, boolean affine, boolean trackRunningStats) {
        if (numFeatures <= 0 || !(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNorm2d: invalid configuration features=" + numFeatures + " eps="
                    + eps + " momentum=" + momentum + " (expected features > 0, eps > 0, momentum in [0, 1])");
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.weight = affine ? registerParameter("weight", Tensor.full(1f, numFeatures)) : null;
        this.bias = affine ? registerParameter("bias", Tensor.zeros(numFeatures)) : null;
        if (trackRunningStats) {
            this.runningMean = registerBuffer("running_mean", Tensor.zeros(numFeatures));
            this.runningVar = registerBuffer("running_var", Tensor.full(1f, numFeatures));
            this.numBatchesTracked = registerOptionalBuffer("num_batches_tracked", Tensor.scalar(0f));
        } else {
            this.runningMean = null;
            this.runningVar = null;
            this.numBatchesTracked = null;
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != numFeatures) {
            throw new IllegalArgumentException("BatchNorm2d: expected input [N, " + numFeatures + ", H, W], got "
                    + org.legodnn.tensor.Shapes.format(x.shape()));
        }
        // Without running statistics PyTorch normalizes with batch statistics in eval mode too.
        boolean useBatchStats = isTraining() || runningMean == null;
        if (isTraining() && numBatchesTracked != null) {
            numBatchesTracked.data()[0] += 1f;
        }
        return Ops.batchNorm2d(x, weight, bias, runningMean, runningVar, useBatchStats, momentum, eps);
    }

    public int numFeatures() {
        return numFeatures;
    }

    public float eps() {
        return eps;
    }

    public float momentum() {
        return momentum;
    }

    /** The scale γ, or null when not affine. */
    public Tensor weight() {
        return weight;
    }

    /** The shift β, or null when not affine. */
    public Tensor bias() {
        return bias;
    }

    /** The running mean, or null when running statistics are not tracked. */
    public Tensor runningMean() {
        return runningMean;
    }

    /** The running variance, or null when running statistics are not tracked. */
    public Tensor runningVar() {
        return runningVar;
    }

    /** How many training batches have updated the running statistics (0 when they are not tracked). */
    public long numBatchesTracked() {
        return numBatchesTracked == null ? 0 : (long) numBatchesTracked.data()[0];
    }
}
