package org.legodnn.nn;

import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/** Average pooling over square windows, as PyTorch's {@code nn.AvgPool2d}. */
public final class AvgPool2d extends Module {

    private final int kernelSize;
    private final int stride;
    private final int padding;
    private final boolean ceilMode;
    private final boolean countIncludePad;

    /** Non-overlapping windows: stride = kernel, no padding. */
    public AvgPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0, false, true);
    }

    /**
     * @param countIncludePad whether padded zeros count in the divisor (PyTorch's default: true)
     */
    public AvgPool2d(int kernelSize, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        if (kernelSize <= 0 || stride <= 0 || padding < 0 || 2 * padding > kernelSize) {
            throw new IllegalArgumentException("AvgPool2d: invalid kernel=" + kernelSize + " stride=" + stride
                    + " padding=" + padding + " (expected positive kernel and stride, padding at most half the kernel)");
        }
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Ops.avgPool2d(x, kernelSize, stride, padding, ceilMode, countIncludePad);
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

    /** Whether padded positions count in the divisor (PyTorch's {@code count_include_pad}). */
    public boolean countIncludePad() {
        return countIncludePad;
    }
}
