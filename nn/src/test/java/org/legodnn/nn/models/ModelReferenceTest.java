package org.legodnn.nn.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.legodnn.nn.Reference;
import org.legodnn.tensor.Autograd;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.io.Safetensors;
import org.legodnn.tensor.io.SafetensorsFile;
import org.legodnn.testing.ReferenceData;

/**
 * The native CIFAR ResNet-20, loaded strictly with PyTorch's weights and randomized BN statistics, must
 * reproduce PyTorch's eval-mode logits ({@code pytorch/models/<name>/io.safetensors}) within 1e-4 absolute.
 */
class ModelReferenceTest {

    private static final double TOLERANCE = 1e-4;

    @ParameterizedTest
    @CsvSource({"cifar_resnet20, 3", "cifar_resnet20_gray, 1"})
    void evalOutputMatchesPyTorch(String name, int inChannels) throws IOException {
        Path dir = ReferenceData.model(name);
        CifarResNet model = new CifarResNet(20, inChannels, 10);
        model.loadStateDict(Safetensors.read(dir.resolve("state_dict.safetensors")), true);
        model.eval();
        SafetensorsFile io = SafetensorsFile.open(dir.resolve("io.safetensors"));
        Tensor out;
        try (var g = Autograd.noGrad()) {
            out = model.forward(io.tensor("input"));
        }
        double err = Reference.maxAbsError(out, io.tensor("output"), name + " output");
        System.out.printf("model %-20s max abs error %.3g%n", name, err);
        assertTrue(err <= TOLERANCE, name + ": max abs error " + err);
    }
}
