package org.legodnn.nn.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.legodnn.nn.Module;
import org.legodnn.nn.Reference;
import org.legodnn.tensor.Autograd;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.io.Safetensors;
import org.legodnn.tensor.io.SafetensorsFile;
import org.legodnn.testing.ReferenceData;

/**
 * The segmentation models are PyTorch's: small instances built like {@code testdata/segmentation}'s (written by
 * {@code tools/reference/make_segmentation_models.py} from torchvision's FCN/DeepLabV3 classes and milesial's
 * U-Net) have exactly PyTorch's state-dict names and shapes, load strictly, and reproduce PyTorch's eval-mode
 * output and gradients within 1e-4; the zoo's instances map 64×64 canvases to per-pixel logits and stay under 4 MB.
 */
class SegmentationModelsTest {

    private static final double TOLERANCE = 1e-4;

    /** The Java counterpart of each reference case, as its {@code io.safetensors} metadata describes it. */
    private static Module build(String name) {
        int[] basic = {2, 2, 2, 2};
        return switch (name) {
            case "fcn_resnet18_w4" -> new FcnResNet(ResNet.backbone(ResNet.Block.BASIC, basic, 1, 4,
                    new boolean[] {false, false, false}), 5);
            case "deeplabv3_resnet18_w4" -> new DeepLabV3(ResNet.backbone(ResNet.Block.BASIC, basic, 1, 4,
                    new boolean[] {false, true, true}), 5, new int[] {2, 4, 6}, 8);
            case "unet_w2" -> new UNet(1, 5, 2);
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fcn_resnet18_w4", "deeplabv3_resnet18_w4", "unet_w2"})
    void namesShapesAndOutputArePyTorchs(String name) throws IOException {
        Path dir = ReferenceData.testdata().resolve("segmentation").resolve(name);
        Map<String, Tensor> torch = Safetensors.read(dir.resolve("state_dict.safetensors"));
        Module model = build(name);
        Map<String, Tensor> ours = model.stateDict();
        assertEquals(new TreeSet<>(torch.keySet()), new TreeSet<>(ours.keySet()), name + ": state-dict names");
        for (Map.Entry<String, Tensor> e : torch.entrySet()) {
            assertArrayEquals(e.getValue().shape(), ours.get(e.getKey()).shape(), name + ": shape of " + e.getKey());
        }
        model.loadStateDict(torch, true);
        model.eval();
        SafetensorsFile io = SafetensorsFile.open(dir.resolve("io.safetensors"));
        Tensor out;
        try (var g = Autograd.noGrad()) {
            out = model.forward(io.tensor("input"));
        }
        double err = Reference.maxAbsError(out, io.tensor("output"), name + " output");
        assertTrue(err <= TOLERANCE, name + ": max abs error " + err + " against PyTorch");
    }

    /**
     * Backward through the whole model (dilated convolutions, ASPP's pooled branch resized from 1×1, the ×8 and
     * ×16 bilinear resizing, U-Net's transposed convolutions and concatenations) gives PyTorch's gradients: for
     * the input and every parameter, of {@code sum(output · gy)} in eval mode, within 1e-4 × max(1, max|g|).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fcn_resnet18_w4", "deeplabv3_resnet18_w4", "unet_w2"})
    void gradientsArePyTorchs(String name) throws IOException {
        Path dir = ReferenceData.testdata().resolve("segmentation").resolve(name);
        Module model = build(name);
        model.loadStateDict(Safetensors.read(dir.resolve("state_dict.safetensors")), true);
        model.eval();
        SafetensorsFile grads = SafetensorsFile.open(dir.resolve("grads.safetensors"));
        Tensor x = SafetensorsFile.open(dir.resolve("io.safetensors")).tensor("input").requiresGrad(true);
        Ops.sum(Ops.mul(model.forward(x), grads.tensor("gy"))).backward();
        assertGradient(name + " input", grads.tensor("gx"), x.grad());
        for (Map.Entry<String, Tensor> p : model.namedParameters().entrySet()) {
            assertGradient(name + " " + p.getKey(), grads.tensor("grad." + p.getKey()), p.getValue().grad());
        }
    }

    private static void assertGradient(String what, Tensor expected, float[] actual) {
        assertTrue(actual != null, what + ": no gradient");
        float[] e = expected.data();
        assertEquals(e.length, actual.length, what + ": gradient size");
        double scale = 1;
        double err = 0;
        for (int i = 0; i < e.length; i++) {
            scale = Math.max(scale, Math.abs(e[i]));
            err = Math.max(err, Math.abs((double) actual[i] - e[i]));
        }
        assertTrue(err <= 1e-4 * scale, what + ": gradient max abs error " + err + " (max |g| " + scale + ")");
    }

    /**
     * The zoo's instances on fashion-mnist-seg's canvases: 1 channel, 11 classes, 64×64 in and out, and weights
     * (parameters and BatchNorm statistics as float32) within the 4 MB that a shipped teacher may have.
     */
    @ParameterizedTest(name = "{0}: {1} parameters")
    @CsvSource({"unet, 486499", "deeplabv3_resnet18, 912171"})
    void zooInstancesFitTheCanvasesAndTheWeightBudget(String name, long params) {
        Module model = ModelZoo.create(name, 1, 11);
        assertEquals(params, model.parameterCount(), name + " parameters");
        long bytes = 0;
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            bytes += 4L * e.getValue().size();
        }
        assertTrue(bytes <= 4_000_000, name + ": " + bytes + " bytes of weights");
        model.eval();
        try (var g = Autograd.noGrad()) {
            Tensor y = model.forward(Tensor.randn(new Random(3), 2, 1, 64, 64));
            assertArrayEquals(new int[] {2, 11, 64, 64}, y.shape(), name + " output shape");
        }
    }

    @Test
    void deepLabsBackboneKeepsAnEighthOfTheResolution() {
        DeepLabV3 model = DeepLabV3.deeplabv3Resnet18(1, 11);
        model.eval();
        try (var g = Autograd.noGrad()) {
            assertArrayEquals(new int[] {1, 128, 8, 8}, model.backbone().forward(Tensor.zeros(1, 1, 64, 64)).shape());
        }
    }

    @Test
    void uNetRefusesSizesItCannotHalveFourTimes() {
        UNet model = UNet.unet(1, 11);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.forward(Tensor.zeros(1, 1, 40, 40)));
        assertTrue(e.getMessage().contains("divisible by 16") && e.getMessage().contains("40"), e.getMessage());
    }
}
