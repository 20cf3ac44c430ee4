package org.legodnn.nn.models;

import org.legodnn.nn.Module;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * DeepLabV3 (Chen et al., 2017) on a ResNet-18, a segmentation model whose dilated backbone keeps an eighth
 * of the input's resolution and whose {@link Aspp} sees that map at several fields of view; torchvision's
 * {@code DeepLabV3} layout and names: {@code backbone} = a {@link ResNet} without pooling and classifier whose
 * {@code layer3} and {@code layer4} are dilated (2 and 4) instead of strided (output stride 8, as torchvision's
 * {@code deeplabv3_resnet50}), {@code classifier} = {@link DeepLabHead}; the logits are resized bilinearly
 * ({@code align_corners=false}) to the input's height and width: {@code [N, classes, H, W]}. No auxiliary head.
 *
 * <p>{@code deeplabv3_resnet18} is scaled down for 64×64 images: the backbone is a quarter of ResNet-18's width
 * (16, 32, 64, 128 channels per stage), the ASPP and head have 48 channels instead of 256, and the atrous rates
 * are 2, 4, 6 instead of 12, 24, 36 (an 8×8 feature map has no pixel 12 away). With one input channel and 11
 * classes that is 912,171 parameters, 3.66 MB of float32 weights with the BatchNorm statistics.
 */
public final class DeepLabV3 extends Module {

    private final ResNet backbone;
    private final DeepLabHead classifier;

    /** The scaled-down DeepLabV3-ResNet-18 of the model zoo (widths and rates in the class comment). */
    public static DeepLabV3 deeplabv3Resnet18(int inChannels, int numClasses) {
        return new DeepLabV3(ResNet.backbone(ResNet.Block.BASIC, new int[] {2, 2, 2, 2}, inChannels, 16,
                new boolean[] {false, true, true}), numClasses, new int[] {2, 4, 6}, 48);
    }

    /**
     * @param backbone    a ResNet built without its classifier ({@link ResNet#backbone})
     * @param atrousRates the ASPP's dilations
     * @param headWidth   channels of the ASPP branches and the head (256 in torchvision)
     */
    public DeepLabV3(ResNet backbone, int numClasses, int[] atrousRates, int headWidth) {
        if (backbone.fc() != null) {
            throw new IllegalArgumentException("DeepLabV3: the backbone must be built without its classifier"
                    + " (ResNet.backbone)");
        }
        this.backbone = registerModule("backbone", backbone);
        classifier = registerModule("classifier",
                new DeepLabHead(backbone.featureChannels(), numClasses, atrousRates, headWidth));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("DeepLabV3: expected [N, C, H, W], got " + Shapes.format(x.shape()));
        }
        Tensor logits = classifier.call(backbone.call(x));
        return Ops.upsampleBilinear(logits, x.dim(2), x.dim(3));
    }

    public ResNet backbone() {
        return backbone;
    }

    public DeepLabHead classifier() {
        return classifier;
    }
}
