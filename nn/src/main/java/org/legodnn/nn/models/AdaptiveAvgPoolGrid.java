package org.legodnn.nn.models;

import org.legodnn.nn.Module;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * PyTorch's {@code nn.AdaptiveAvgPool2d(s)} for an s×s output, in the cases where it equals an op the engine
 * already has, so that VGG's {@code avgpool} (7×7) works at 224×224 and on small test images alike: an s×s
 * input passes through; a k·s × k·s input is average-pooled with kernel and stride k; a 1×1 input is copied
 * into every cell (each adaptive bin covers that one pixel). Other sizes have bins of unequal width and are
 * rejected with an error that says which sizes work.
 */
public final class AdaptiveAvgPoolGrid extends Module {

    private final int outputSize;

    public AdaptiveAvgPoolGrid(int outputSize) {
        if (outputSize <= 0) {
            throw new IllegalArgumentException("AdaptiveAvgPoolGrid: output size " + outputSize + " (expected positive)");
        }
        this.outputSize = outputSize;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("adaptive_avg_pool2d: expected [N, C, H, W], got " + Shapes.format(x.shape()));
        }
        int h = x.dim(2);
        int w = x.dim(3);
        if (h == outputSize && w == outputSize) {
            return x;
        }
        if (h == w && h % outputSize == 0) {
            int k = h / outputSize;
            return Ops.avgPool2d(x, k, k, 0, false, true);
        }
        if (h == 1 && w == 1) {
            return Ops.upsampleNearest(x, outputSize);
        }
        throw new IllegalArgumentException("adaptive_avg_pool2d: input " + Shapes.format(x.shape()) + " to "
                + outputSize + "x" + outputSize + " is not supported (expected a square input of 1x1 or a multiple of "
                + outputSize + ")");
    }

    public int outputSize() {
        return outputSize;
    }
}
