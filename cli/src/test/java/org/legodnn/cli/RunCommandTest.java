package org.legodnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.io.Safetensors;
import org.legodnn.tensor.io.SafetensorsFile;
import org.legodnn.testing.ReferenceData;

/** {@code legodnn run} on the shared PyTorch models, and its usage errors. */
class RunCommandTest {

    @TempDir
    Path tmp;

    static CliRun cli(String... args) {
        return CliRun.of(args);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cifar_resnet20", "cifar_resnet20_gray", "resnext_tiny", "mobilenet_v2", "resnet18"})
    void runsTheSharedModelsLikePyTorch(String model) throws Exception {
        Path dir = ReferenceData.model(model);
        Path out = tmp.resolve(model + ".safetensors");
        CliRun r = cli("run", "--model", dir.resolve("model.onnx").toString(), "--input",
                dir.resolve("io.safetensors").toString(), "--output", out.toString(), "--threads", "2");
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
        System.out.printf("run %s: max abs error %.3g (tolerance %.3g)%n", model, err, 1e-4 * scale);
        assertTrue(err <= 1e-4 * scale, model + ": max abs error " + err);
    }

    @Test
    void takesTheOnlyTensorWhateverItsName() throws Exception {
        Path dir = ReferenceData.model("cifar_resnet20_gray");
        Tensor input = SafetensorsFile.open(dir.resolve("io.safetensors")).tensor("input");
        Path in = tmp.resolve("in.safetensors");
        Safetensors.write(in, Map.of("images", input), Map.of());
        Path out = tmp.resolve("out.safetensors");
        CliRun r = cli("run", "--model", dir.resolve("model.onnx").toString(), "--input", in.toString(),
                "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(out));
    }

    @Test
    void errorsAreOneLineWithTheRightExitCode() throws Exception {
        Path dir = ReferenceData.model("cifar_resnet20_gray");
        Path out = tmp.resolve("out.safetensors");
        CliRun missing = cli("run", "--model", dir.resolve("model.onnx").toString());
        assertEquals(2, missing.code());
        CliRun threads = cli("run", "--model", dir.resolve("model.onnx").toString(), "--input",
                dir.resolve("io.safetensors").toString(), "--output", out.toString(), "--threads", "0");
        assertEquals(2, threads.code(), threads.err());
        CliRun device = cli("run", "--model", dir.resolve("model.onnx").toString(), "--input",
                dir.resolve("io.safetensors").toString(), "--output", out.toString(), "--device", "tpu");
        assertEquals(2, device.code(), device.err());
        Path bad = tmp.resolve("bad.onnx");
        Files.writeString(bad, "not a model");
        CliRun broken = cli("run", "--model", bad.toString(), "--input", dir.resolve("io.safetensors").toString(),
                "--output", out.toString());
        assertEquals(1, broken.code());
        assertEquals(1, broken.err().strip().lines().count(), broken.err());
        Path wrong = tmp.resolve("wrong.safetensors");
        Safetensors.write(wrong, Map.of("input", Tensor.zeros(2, 3, 28, 28)), Map.of());
        CliRun shape = cli("run", "--model", dir.resolve("model.onnx").toString(), "--input", wrong.toString(),
                "--output", out.toString());
        assertEquals(1, shape.code());
        assertTrue(shape.err().contains("[2, 3, 28, 28]"), shape.err());
        assertTrue(!Files.exists(out));
    }
}
