package org.legodnn.nn.models;

import org.legodnn.nn.Conv2d;
import org.legodnn.nn.Init;
import org.legodnn.nn.Module;
import org.legodnn.nn.Sequential;
import org.legodnn.nn.Upsample;
import org.legodnn.nn.detection.YoloLayout;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * A YOLOv3 detector on a ResNet-18 backbone (the LegoDNN paper's detection model), so that detection can be
 * trained, scored, exported and scaled like the classifiers: ResNet-18's root and four stages at widths
 * w·{1, 2, 4, 8} ({@link ResNet#backbone(ResNet.Block, int[], int, int)}), then YOLOv3's top-down neck over
 * strides 32, 16 and 8 with heads on the two finer ones, three anchors each:
 * <pre>
 *   c4 = layer4 (8w, stride 32) → set32: 5 ConvBnReLU, 1×1/3×3 alternating, 8w→4w→8w→4w→8w→4w
 *   → reduce32: ConvBnReLU 1×1 4w→2w → upsample (nearest, 2×) → concat with layer3 (4w)
 *   → set16: 6w→2w→4w→2w→4w→2w → head16: ConvBnReLU 3×3 2w→2w, Conv 1×1 2w→3·(5+C) (bias)
 *   set16's output → reduce16: ConvBnReLU 1×1 2w→w → upsample → concat with layer2 (2w)
 *   → set8: 3w→w→2w→w→2w→w → head8: ConvBnReLU 3×3 w→w, Conv 1×1 w→3·(5+C)
 *   output = cat(head8.flatten(1), head16.flatten(1)): [N, 3·(5+C)·(144 + 36)] on 96×96 inputs
 * </pre>
 * Strides 8 and 16 (12×12 and 6×6 grids on a 96×96 canvas), not 16 and 32: the digits' boxes are 10–40 pixels
 * (the k-means anchors span 10×21 to 35×37), which is where YOLOv3's own anchor table puts strides 8 and 16
 * (its stride-32 anchors start at 59 pixels); finer cells keep more of a small digit's detail for telling
 * digits apart, and two digits rarely share a cell. Measured: after one epoch on mnist-det, mAP50 6.6 % against
 * 4.3 % for heads at 16 and 32 (class-agnostic AP50 0.45 against 0.42), at the same speed. {@code layer4}
 * still feeds both heads through the top-down path. YOLOv3's head doubles the channels in its 3×3
 * convolution; here it keeps them. Width 16: 945,690 parameters for one channel and 10 classes, 3.78 MB in
 * float32 with the BatchNorm statistics.
 *
 * <p>The output's layout, anchors and decoding are {@link YoloLayout#MNIST_DET}'s; the decoding (σ, exp, NMS)
 * stays outside the model, so the graph is convolutions, upsamples, concats and reshapes. Parameter names are
 * those of a PyTorch module with the attributes {@code backbone} (torchvision's ResNet names), {@code set32},
 * {@code reduce32}, {@code set16}, {@code head16}, {@code reduce16}, {@code set8}, {@code head8}
 * ({@code set32.0.conv.weight}, {@code head8.1.bias}); {@code tools/reference/yolov3_resnet18.py} is that module.
 */
public final class YoloV3ResNet extends Module {

    /** The width of {@code yolov3_resnet18}: stages of 16, 32, 64, 128 channels. */
    public static final int DEFAULT_WIDTH = 16;

    /** The objectness the heads start from. */
    static final double OBJECT_PRIOR = 0.02;

    private final ResNet backbone;
    private final Sequential set32;
    private final ConvBnReLU reduce32;
    private final Upsample upsample;
    private final Sequential set16;
    private final Sequential head16;
    private final ConvBnReLU reduce16;
    private final Sequential set8;
    private final Sequential head8;

    /** {@code yolov3_resnet18}: width 16, the mnist-det layout's three anchors per scale. */
    public static YoloV3ResNet yolov3Resnet18(int inChannels, int numClasses) {
        return new YoloV3ResNet(inChannels, numClasses, DEFAULT_WIDTH, 3);
    }

    /**
     * @param width   channels of the stem and {@code layer1} (later stages double it)
     * @param anchors anchors per scale
     */
    public YoloV3ResNet(int inChannels, int numClasses, int width, int anchors) {
        if (numClasses <= 0 || width <= 0 || anchors <= 0) {
            throw new IllegalArgumentException("YoloV3ResNet: " + numClasses + " classes, width " + width + ", "
                    + anchors + " anchors per scale (expected positive)");
        }
        int out = anchors * (5 + numClasses);
        backbone = registerModule("backbone", ResNet.backbone(ResNet.Block.BASIC, new int[] {2, 2, 2, 2}, inChannels, width));
        int c4 = backbone.stageChannels(4);
        int c3 = backbone.stageChannels(3);
        int c2 = backbone.stageChannels(2);
        set32 = registerModule("set32", convSet(c4, c4 / 2));
        reduce32 = registerModule("reduce32", new ConvBnReLU(c4 / 2, c4 / 4, 1));
        upsample = registerModule("upsample", Upsample.nearest(2));
        set16 = registerModule("set16", convSet(c4 / 4 + c3, c3 / 2));
        head16 = registerModule("head16", head(c3 / 2, out));
        reduce16 = registerModule("reduce16", new ConvBnReLU(c3 / 2, c3 / 4, 1));
        set8 = registerModule("set8", convSet(c3 / 4 + c2, c2 / 2));
        head8 = registerModule("head8", head(c2 / 2, out));
        for (Module m : namedModules().values()) {
            if (m instanceof ConvBnReLU unit) {
                Conv2d conv = (Conv2d) unit.namedChildren().get("conv");
                Init.kaimingNormal(conv.weight(), 0, Init.FanMode.FAN_OUT, Init.Nonlinearity.RELU, Init.defaultRandom());
            }
        }
        for (Sequential head : new Sequential[] {head8, head16}) {
            priorBias(((Conv2d) head.get(1)).bias(), anchors, numClasses);
        }
    }

    /**
     * Starts the prediction conv's objectness and class logits at the rarity they have in the data, as
     * RetinaNet and the YOLOv3 re-implementations do, so that training does not begin by unlearning a 50 %
     * objectness on the ~540 empty slots of every image: objectness at {@value #OBJECT_PRIOR} (a few objects
     * among 540 slots), each class at 1 / classes.
     */
    private static void priorBias(Tensor bias, int anchors, int classes) {
        float[] b = bias.data();
        int fields = 5 + classes;
        float classLogit = classes == 1 ? 0f : (float) -Math.log(classes - 1.0); // logit of 1 / classes
        for (int a = 0; a < anchors; a++) {
            b[a * fields + 4] = (float) Math.log(OBJECT_PRIOR / (1 - OBJECT_PRIOR));
            for (int c = 0; c < classes; c++) {
                b[a * fields + 5 + c] = classLogit;
            }
        }
    }

    /** YOLOv3's five-convolution set: 1×1 to {@code mid}, 3×3 to 2·mid, 1×1, 3×3, 1×1 to {@code mid}. */
    private static Sequential convSet(int in, int mid) {
        return new Sequential(new ConvBnReLU(in, mid, 1), new ConvBnReLU(mid, 2 * mid, 3), new ConvBnReLU(2 * mid, mid, 1),
                new ConvBnReLU(mid, 2 * mid, 3), new ConvBnReLU(2 * mid, mid, 1));
    }

    /** A 3×3 ConvBnReLU, then the 1×1 prediction conv with bias. */
    private static Sequential head(int in, int out) {
        return new Sequential(new ConvBnReLU(in, in, 3), new Conv2d(in, out, 1, 1, 0, true));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.dim(2) % 32 != 0 || x.dim(3) % 32 != 0) {
            throw new IllegalArgumentException("YoloV3ResNet: expected [N, C, H, W] with H and W multiples of 32, got "
                    + Shapes.format(x.shape()));
        }
        Tensor c2 = backbone.layer(2).call(backbone.layer(1).call(backbone.stem(x)));
        Tensor c3 = backbone.layer(3).call(c2);
        Tensor c4 = backbone.layer(4).call(c3);
        Tensor p32 = set32.call(c4);
        Tensor p16 = set16.call(Ops.concat(upsample.call(reduce32.call(p32)), c3));
        Tensor p8 = set8.call(Ops.concat(upsample.call(reduce16.call(p16)), c2));
        return Ops.concat(Ops.flatten(head8.call(p8)), Ops.flatten(head16.call(p16)));
    }

    public ResNet backbone() {
        return backbone;
    }
}
