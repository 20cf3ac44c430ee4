package org.legodnn.nn;

import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/** Max pooling over square windows, as PyTorch's {@code nn.MaxPool2d} (padding counts as −∞). */
public final class MaxPool2d extends Module {

    private final int kernelSize;
    private final int stride;
    private final int padding;
    private final boolean ceilMode;

    /** Non-overlapping windows: stride = kernel, no padding. */
    public MaxPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0, false);
    }

    public MaxPool2d(int kernelSize, int stride, int padding, boolean ceilMode) {
        if (kernelSize <= 0 || stride <= 0 || padding < 0 || 2 * padding > kernelSize) {
            throw new IllegalArgumentException("MaxPool2d: invalid kernel=" + kernelSize + " stride=" + stride
                    + " padding=" + padding + " (expected positive kernel and stride, padding at most half the kernel)");
        }
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.ceilMode = ceilMode;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Ops.maxPool2d(x, kernelSize, stride, padding, ceilMode);
    }

    public int kernelSize() {
        return kernelSize;
    }

    public int stride() {
        return stride;
    }

    public int padding() {
        return padding;
    }

    public boolean ceilMode() {
        return ceilMode;
    }
}
