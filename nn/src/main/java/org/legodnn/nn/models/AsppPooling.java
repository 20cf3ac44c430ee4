package org.legodnn.nn.models;

import org.legodnn.nn.AdaptiveAvgPool2d;
import org.legodnn.nn.BatchNorm2d;
import org.legodnn.nn.Conv2d;
import org.legodnn.nn.ReLU;
import org.legodnn.nn.Sequential;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * ASPP's image-level branch, which gives every pixel the context of the whole image: global average pooling,
 * 1×1 conv, BN, ReLU, then bilinear resizing ({@code align_corners=false}) back to the input's height and
 * width; torchvision's {@code ASPPPooling}, a sequence whose children are named {@code 0..3}.
 */
public final class AsppPooling extends Sequential {

    public AsppPooling(int inChannels, int outChannels) {
        super(new AdaptiveAvgPool2d(1), new Conv2d(inChannels, outChannels, 1, 1, 0, false),
                new BatchNorm2d(outChannels), new ReLU());
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("AsppPooling: expected [N, C, H, W], got " + Shapes.format(x.shape()));
        }
        return Ops.upsampleBilinear(super.forward(x), x.dim(2), x.dim(3));
    }
}
