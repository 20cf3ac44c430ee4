package org.legodnn.nn.models;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.legodnn.nn.Module;

/**
 * Every model the project can build, by the name the command line and the tests use, so that a tool that
 * takes {@code --model NAME} needs no list of its own. Each entry builds a fresh model with random weights
 * for the given image channels and classes; weights then load by their PyTorch names.
 */
public final class ModelZoo {

    /** Builds one model for an image channel count and a class count. */
    @FunctionalInterface
    private interface Factory {
        Module create(int inChannels, int numClasses);
    }

    private static final Map<String, Factory> MODELS = new LinkedHashMap<>();

    static {
        MODELS.put("cifar_resnet20", (c, k) -> new CifarResNet(20, c, k));
        MODELS.put("cifar_resnet32", (c, k) -> new CifarResNet(32, c, k));
        MODELS.put("cifar_resnet56", (c, k) -> new CifarResNet(56, c, k));
        MODELS.put("cifar_resnet18", CifarResNet18::new);
        MODELS.put("resnet18", ResNet::resnet18);
        MODELS.put("resnet34", ResNet::resnet34);
        MODELS.put("resnet50", ResNet::resnet50);
        MODELS.put("resnext50_32x4d", ResNet::resnext50_32x4d);
        MODELS.put("resnext_tiny", (c, k) -> new ResNet(ResNet.Block.BOTTLENECK, new int[] {1, 1, 1, 1}, 8, 4, c, k));
        MODELS.put("mobilenet_v2", MobileNetV2::new);
        MODELS.put("vgg16_bn", Vgg::vgg16Bn);
        MODELS.put("genet_small", GENet::small);
        MODELS.put("genet_normal", GENet::normal);
        MODELS.put("genet_large", GENet::large);
        MODELS.put("fcn_resnet18", FcnResNet::fcnResnet18);
        MODELS.put("yolov3_resnet18", YoloV3ResNet::yolov3Resnet18);
        MODELS.put("unet", UNet::unet);
        MODELS.put("deeplabv3_resnet18", DeepLabV3::deeplabv3Resnet18);
        MODELS.put("simplebaselines_resnet18", SimpleBaselines::simplebaselinesResnet18);
        MODELS.put("tsn_resnet18", Tsn::tsnResnet18);
        MODELS.put("ganomaly", Ganomaly::ganomaly);
    }

    private ModelZoo() {
    }

    /**
     * A new model {@code name} for images with {@code inChannels} channels and {@code numClasses} classes
     * (per-pixel classes for the segmentation models {@code fcn_resnet18}, {@code unet} and
     * {@code deeplabv3_resnet18}, box classes for {@code yolov3_resnet18}, keypoints for
     * {@code simplebaselines_resnet18}; for {@code tsn_resnet18} the channels are a clip's frames and the classes its
     * actions; {@code ganomaly} scores images and ignores the class count).
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones) or invalid sizes
     */
    public static Module create(String name, int inChannels, int numClasses) {
        Factory f = MODELS.get(name);
        if (f == null) {
            throw new IllegalArgumentException("ModelZoo: unknown model '" + name + "' (known: "
                    + String.join(", ", MODELS.keySet()) + ")");
        }
        return f.create(inChannels, numClasses);
    }

    /** The known names, in a stable order. */
    public static List<String> names() {
        return List.copyOf(MODELS.keySet());
    }
}
