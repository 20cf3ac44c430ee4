package org.legodnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.legodnn.graph.onnx.OnnxExporter;
import org.legodnn.nn.Linear;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.io.Safetensors;

/** Commands stop at a NaN with one line naming the output or the descendant, and write nothing. */
class NanOutputsTest {

    @Test
    void runDoesNotWriteANanOutput(@TempDir Path tmp) throws Exception {
        Linear fc = new Linear(4, 2);
        fc.parameters().get(0).data()[5] = Float.NaN; // row 1 of the weight: output 1 is NaN
        Path model = tmp.resolve("nan.onnx");
        Files.write(model, OnnxExporter.toModel(fc, 1, 4).toByteArray());
        Path in = tmp.resolve("in.safetensors");
        Safetensors.write(in, Map.of("x", Tensor.of(new float[] {1, 1, 1, 1}, 1, 4)), null);
        Path out = tmp.resolve("out.safetensors");
        CliRun r = CliRun.of("run", "--model", model.toString(), "--input", in.toString(), "--output", out.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("legodnn run: output '") && r.err().contains("' is NaN at index 1 of [1, 2]")
                && r.err().contains("not written"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void retrainStopsAtADivergingLossAndKeepsTheStore(@TempDir Path tmp) throws Exception {
        Path store = TinyStore.build(tmp);
        byte[] index = Files.readAllBytes(store.resolve("index.json"));
        CliRun r = CliRun.of("retrain", "--store", store.toString(), "--epochs", "1", "--limit", "32", "--batch", "8", "--lr", "1e30",
                "--threads", "1");
        assertEquals(1, r.code(), r.out() + r.err());
        String last = r.err().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.matches("legodnn retrain: retraining block \\d+ descendant 0\\.\\d+: loss is (NaN|Infinity) at"
                + " epoch 1, step \\d+ \\(Adam lr 1\\.0E30\\); lower --lr"), r.err());
        assertTrue(java.util.Arrays.equals(index, Files.readAllBytes(store.resolve("index.json"))), "store unchanged");
    }
}
