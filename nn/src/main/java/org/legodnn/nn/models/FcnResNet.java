package org.legodnn.nn.models;

import org.legodnn.nn.BatchNorm2d;
import org.legodnn.nn.Conv2d;
import org.legodnn.nn.Dropout;
import org.legodnn.nn.Module;
import org.legodnn.nn.ReLU;
import org.legodnn.nn.Sequential;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * A fully convolutional segmentation network (Long et al.) on a ResNet backbone, so that block extraction,
 * pruning and hot-swapping are exercised on a dense-prediction model and not only on classifiers. It follows
 * torchvision's {@code fcn_resnet50} layout and names: {@code backbone} = a {@link ResNet} without pooling and
 * classifier (output stride 32), {@code classifier} = torchvision's {@code FCNHead}: 3×3 conv to a quarter
 * of the channels (no bias), BN, ReLU, Dropout(0.1), 1×1 conv to the classes; the logits are resized
 * bilinearly ({@code align_corners=false}) to the input's height and width, so the output is
 * {@code [N, classes, H, W]}.
 */
public final class FcnResNet extends Module {

    private final ResNet backbone;
    private final Sequential classifier;

    /** FCN on ResNet-18 (no dilation: torchvision's basic blocks do not support it). */
    public static FcnResNet fcnResnet18(int inChannels, int numClasses) {
        return new FcnResNet(ResNet.backbone(ResNet.Block.BASIC, new int[] {2, 2, 2, 2}, inChannels), numClasses);
    }

    public FcnResNet(ResNet backbone, int numClasses) {
        if (numClasses <= 0) {
            throw new IllegalArgumentException("FcnResNet: " + numClasses + " classes (expected positive)");
        }
        if (backbone.fc() != null) {
            throw new IllegalArgumentException("FcnResNet: the backbone must be built without its classifier"
                    + " (ResNet.backbone)");
        }
        this.backbone = registerModule("backbone", backbone);
        int in = backbone.featureChannels();
        int inter = in / 4;
        classifier = registerModule("classifier", new Sequential(
                new Conv2d(in, inter, 3, 1, 1, false), new BatchNorm2d(inter), new ReLU(), new Dropout(0.1f),
                new Conv2d(inter, numClasses, 1, 1, 0, true)));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("FcnResNet: expected [N, C, H, W], got " + Shapes.format(x.shape()));
        }
        Tensor logits = classifier.call(backbone.call(x));
        return Ops.upsampleBilinear(logits, x.dim(2), x.dim(3));
    }

    public ResNet backbone() {
        return backbone;
    }

    public Sequential classifier() {
        return classifier;
    }
}
