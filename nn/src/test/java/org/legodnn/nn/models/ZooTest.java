package org.legodnn.nn.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.legodnn.nn.Module;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/**
 * Every zoo model builds with PyTorch's parameter count, and runs a forward and a backward pass on a small
 * batch in training mode, giving a finite gradient to every parameter.
 */
class ZooTest {

    @Test
    void namesAreTheDocumentedOnes() {
        assertEquals(List.of("cifar_resnet20", "cifar_resnet32", "cifar_resnet56", "cifar_resnet18", "resnet18",
                "resnet34", "resnet50", "resnext50_32x4d", "resnext_tiny", "mobilenet_v2", "vgg16_bn", "genet_small",
                "genet_normal", "genet_large", "fcn_resnet18", "yolov3_resnet18", "unet", "deeplabv3_resnet18",
                "simplebaselines_resnet18", "tsn_resnet18", "ganomaly"),
                ModelZoo.names());
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelZoo.create("resnet19", 3, 10));
        assertTrue(e.getMessage().contains("'resnet19'"), e.getMessage());
        assertTrue(e.getMessage().contains("resnet18, resnet34"), e.getMessage());
    }

    /**
     * Builds each model once (the big ones take seconds to initialize here), checks its parameter count, then
     * trains one step's worth: forward on a small random batch in training mode, a scalar loss, backward,
     * and a finite gradient for every parameter. Counts: torchvision's for its models (1000 classes); the
     * CIFAR ResNets with projection shortcuts (as {@code cifar_resnet20}'s reference, 272,474), counted in
     * PyTorch; LegoDNN's CIFAR-100 ResNet-18 (see {@link CifarResNet18Test}); GENet's published 8.17M /
     * 21.14M / 31.08M; for resnext_tiny the sum of the reference ONNX model's weights; for fcn_resnet18 the
     * same layers built in PyTorch (ResNet-18 without fc, 11,176,512, plus the head); for yolov3_resnet18 its
     * PyTorch definition in {@code tools/reference/yolov3_resnet18.py}; for unet and deeplabv3_resnet18 the same
     * layers built in PyTorch by {@code tools/reference/make_segmentation_models.py}.
     */
    @ParameterizedTest(name = "{0}: {3} parameters, {4}x{1}x{5}x{5}")
    @CsvSource({
        "cifar_resnet20, 1, 10, 272186, 2, 28",
        "cifar_resnet32, 3, 10, 466906, 2, 32",
        "cifar_resnet56, 3, 10, 855770, 2, 32",
        "cifar_resnet18, 3, 100, 11220132, 2, 32",
        "resnet18, 3, 1000, 11689512, 2, 64",
        "resnet34, 3, 1000, 21797672, 2, 64",
        "resnet50, 3, 1000, 25557032, 2, 64",
        "resnext50_32x4d, 3, 1000, 25028904, 2, 64",
        "resnext_tiny, 3, 100, 4140964, 2, 64",
        "mobilenet_v2, 3, 1000, 3504872, 2, 64",
        "vgg16_bn, 3, 1000, 138365992, 2, 32",
        "genet_small, 3, 1000, 8173761, 2, 64",
        "genet_normal, 3, 1000, 21142920, 2, 64",
        "genet_large, 3, 1000, 31078280, 2, 64",
        "fcn_resnet18, 3, 21, 11769301, 2, 64",
        "yolov3_resnet18, 1, 10, 945690, 2, 96",
        "unet, 1, 11, 486499, 2, 64",
        "deeplabv3_resnet18, 1, 11, 912171, 2, 64",
    })
    void buildsWithPyTorchsCountAndTrainsOnASmallBatch(String name, int inChannels, int classes, long params,
                                                        int batch, int size) {
        Module model = ModelZoo.create(name, inChannels, classes);
        assertEquals(params, model.parameterCount(), name + " parameter count");
        model.train();
        Random rnd = new Random(42);
        Tensor x = Tensor.randn(rnd, batch, inChannels, size, size);
        Tensor y = model.forward(x);
        boolean perPixel = name.startsWith("fcn_") || name.equals("unet") || name.startsWith("deeplabv3_");
        int[] expected = perPixel ? new int[] {batch, classes, size, size}
                : name.startsWith("yolov3_") ? new int[] {batch, 3 * (5 + classes) * (12 * 12 + 6 * 6)}
                : new int[] {batch, classes};
        assertArrayEquals(expected, y.shape(), name + " output shape");
        Tensor loss = Ops.mean(Ops.mul(y, Tensor.randn(rnd, y.shape())));
        loss.backward();
        for (Map.Entry<String, Tensor> p : model.namedParameters().entrySet()) {
            float[] g = p.getValue().grad();
            assertNotNull(g, name + ": no gradient for " + p.getKey());
            for (float v : g) {
                assertTrue(Float.isFinite(v), name + ": non-finite gradient in " + p.getKey());
            }
        }
    }

    @Test
    void inputChannelsOnlyChangeTheFirstConvolution() {
        // One input channel instead of three removes 2·(out·k·k) weights from the stem.
        assertEquals(4140964L - 2 * 64 * 7 * 7, ModelZoo.create("resnext_tiny", 1, 100).parameterCount());
        assertEquals(8173761L - 2 * 13 * 3 * 3, ModelZoo.create("genet_small", 1, 1000).parameterCount());
        assertEquals(3504872L - 2 * 32 * 3 * 3, ModelZoo.create("mobilenet_v2", 1, 1000).parameterCount());
    }
}
