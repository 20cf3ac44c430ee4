package org.legodnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.legodnn.testing.ReferenceData;

/** {@code legodnn info} on a zoo model and on an ONNX file. */
class InfoCommandTest {

    @Test
    void zooModelTableHasTotals() {
        var r = CliRun.of("info", "--model", "cifar_resnet20");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("layer1.0.conv1") && r.out().contains("total"), r.out());
        // CIFAR ResNet-20: 0.27 M parameters (weights + BN scale/shift)
        assertTrue(r.out().contains("params 272,474"), r.out());
    }

    @Test
    void onnxModelAsJsonAgreesWithTheTracedZooModel() throws Exception {
        var onnx = CliRun.of("info", "--json", "--model",
                ReferenceData.model("resnet18").resolve("model.onnx").toString());
        assertEquals(0, onnx.code(), onnx.err());
        var zoo = CliRun.of("info", "--json", "--model", "resnet18");
        assertEquals(0, zoo.code(), zoo.err());
        Map<String, Object> a = JSON.std.mapFrom(onnx.out());
        Map<String, Object> b = JSON.std.mapFrom(zoo.out());
        assertEquals(11_689_512L, ((Number) a.get("params")).longValue());
        assertEquals(a.get("params"), b.get("params"));
        assertEquals(a.get("flops"), b.get("flops"));
        assertEquals(a.get("peak_activation_bytes"), b.get("peak_activation_bytes"));
    }

    @Test
    void unknownModelIsAUsageError() {
        var r = CliRun.of("info", "--model", "no_such_model");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no_such_model"), r.err());
    }
}
