package org.legodnn.nn.models;

import org.legodnn.nn.BatchNorm2d;
import org.legodnn.nn.Conv2d;
import org.legodnn.nn.ConvTranspose2d;
import org.legodnn.nn.Init;
import org.legodnn.nn.Module;
import org.legodnn.nn.ReLU;
import org.legodnn.nn.Sequential;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * SimpleBaselines' pose network (Xiao et al., ECCV 2018), one of the keypoint models the original LegoDNN scales:
 * a ResNet backbone without pooling and classifier (output stride 32), then three transposed convolutions
 * (4×4, stride 2, padding 1, no bias) each with BatchNorm and ReLU, and a 1×1 convolution to one heatmap per
 * keypoint — output stride 4, so a 64×64 canvas gives 16×16 heatmaps. Names as the paper's PyTorch code:
 * {@code backbone} (torchvision's ResNet names), {@code deconv_layers} ({@code deconv_layers.0.weight},
 * {@code .1} the BatchNorm, {@code .2} the ReLU, then 3..5 and 6..8), {@code final_layer}.
 *
 * <p>{@code simplebaselines_resnet18}: ResNet-18 at width 16 (stages of 16, 32, 64, 128 channels, as the detection
 * teacher's) and deconvolutions of 64 channels, which keeps the weights far below the 4 MB a shipped teacher may
 * take; the paper's has width 64 and 256-channel deconvolutions for 256×192 people.
 */
public final class SimpleBaselines extends Module {

    /** The backbone width of {@code simplebaselines_resnet18}. */
    public static final int DEFAULT_WIDTH = 16;
    /** The deconvolutions' channels of {@code simplebaselines_resnet18}. */
    public static final int DEFAULT_DECONV = 64;

    private final ResNet backbone;
    private final Sequential deconvLayers;
    private final Conv2d finalLayer;

    /** {@code simplebaselines_resnet18} for {@code keypoints} heatmaps. */
    public static SimpleBaselines simplebaselinesResnet18(int inChannels, int keypoints) {
        return new SimpleBaselines(ResNet.backbone(ResNet.Block.BASIC, new int[] {2, 2, 2, 2}, inChannels,
                DEFAULT_WIDTH), DEFAULT_DECONV, keypoints);
    }

    public SimpleBaselines(ResNet backbone, int deconvChannels, int keypoints) {
        if (keypoints <= 0 || deconvChannels <= 0) {
            throw new IllegalArgumentException("SimpleBaselines: " + keypoints + " keypoints, " + deconvChannels
                    + " deconvolution channels (expected positive)");
        }
        if (backbone.fc() != null) {
            throw new IllegalArgumentException("SimpleBaselines: the backbone must be built without its classifier"
                    + " (ResNet.backbone)");
        }
        this.backbone = registerModule("backbone", backbone);
        int in = backbone.featureChannels();
        Module[] layers = new Module[9];
        for (int i = 0; i < 3; i++) {
            layers[3 * i] = new ConvTranspose2d(i == 0 ? in : deconvChannels, deconvChannels, 4, 2, 1, 0, 1, 1, false,
                    Init.defaultRandom());
            layers[3 * i + 1] = new BatchNorm2d(deconvChannels);
            layers[3 * i + 2] = new ReLU();
        }
        this.deconvLayers = registerModule("deconv_layers", new Sequential(layers));
        this.finalLayer = registerModule("final_layer", new Conv2d(deconvChannels, keypoints, 1, 1, 0, true));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("SimpleBaselines: expected [N, C, H, W], got " + Shapes.format(x.shape()));
        }
        return finalLayer.call(deconvLayers.call(backbone.call(x)));
    }
}
