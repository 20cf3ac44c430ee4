package org.legodnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.legodnn.kernels.opencl.OpenClDevice;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.io.SafetensorsFile;
import org.legodnn.testing.Prerequisite;
import org.legodnn.testing.ReferenceData;

/**
 * {@code legodnn run --device opencl} on the shared PyTorch models. Skipped where no OpenCL platform exists,
 * unless {@code LEGODNN_REQUIRE_OPENCL=1} (CI, with PoCL), where that fails.
 */
class RunOpenClCommandTest {

    @TempDir
    Path tmp;

    @BeforeEach
    void needsOpenCl() {
        Prerequisite.check("LEGODNN_REQUIRE_OPENCL", OpenClDevice.unavailableReason());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cifar_resnet20", "cifar_resnet20_gray", "resnext_tiny", "mobilenet_v2", "resnet18"})
    void runsTheSharedModelsLikePyTorch(String model) throws Exception {
        Path dir = ReferenceData.model(model);
        Path out = tmp.resolve(model + ".safetensors");
        CliRun r = CliRun.of("run", "--model", dir.resolve("model.onnx").toString(), "--input",
                dir.resolve("io.safetensors").toString(), "--output", out.toString(), "--device", "opencl");
        assertEquals(0, r.code(), r.err());
        Tensor actual = SafetensorsFile.open(out).tensor("output");
        Tensor expected = SafetensorsFile.open(dir.resolve("io.safetensors")).tensor("output");
        assertTrue(actual.sameShape(expected.shape()));
        double err = 0;
        double scale = 1;
        for (int i = 0; i < expected.size(); i++) {
            err = Math.max(err, Math.abs(actual.data()[i] - expected.data()[i]));
            scale = Math.max(scale, Math.abs(expected.data()[i]));
        }
        System.out.printf("run --device opencl %s: max abs error %.3g (tolerance %.3g)%n", model, err, 1e-4 * scale);
        assertTrue(err <= 1e-4 * scale, model + ": max abs error " + err);
    }

    @Test
    void anUnknownDeviceIsOneLineAndExitCodeOne() {
        Path dir = ReferenceData.model("cifar_resnet20_gray");
        CliRun r = CliRun.of("run", "--model", dir.resolve("model.onnx").toString(), "--input",
                dir.resolve("io.safetensors").toString(), "--output", tmp.resolve("o.safetensors").toString(),
                "--device", "opencl:99");
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("no OpenCL device 99"), r.err());
    }
}
