package org.legodnn.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.legodnn.nn.models.CifarResNet;
import org.legodnn.tensor.Autograd;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.io.SafetensorsFile;

/**
 * The whole-model part of {@code selftest}: a CIFAR ResNet-20 with PyTorch's weights, shipped inside the jar,
 * must reproduce PyTorch's output on PyTorch's input within 1e-4.
 */
final class SelftestModel {

    private static final String RESOURCES = "/org/legodnn/selftest/";
    private static final float TOLERANCE = 1e-4f;

    private SelftestModel() {
    }

    static void check() {
        SafetensorsFile weights = resource("state_dict.safetensors");
        SafetensorsFile io = resource("io.safetensors");
        CifarResNet model = new CifarResNet(20, 3, 10);
        model.loadStateDict(weights.tensors(), true);
        model.eval();
        Tensor output;
        try (var scope = Autograd.noGrad()) {
            output = model.forward(io.tensor("input"));
        }
        float[] expected = io.tensor("output").data();
        float[] actual = output.data();
        float worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        if (!(worst <= TOLERANCE)) {
            throw new AssertionError("largest difference from PyTorch " + worst + " exceeds " + TOLERANCE);
        }
    }

    private static SafetensorsFile resource(String name) {
        try (InputStream in = SelftestModel.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("selftest resource " + name + " is missing from the jar");
            }
            return SafetensorsFile.fromBytes(name, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
