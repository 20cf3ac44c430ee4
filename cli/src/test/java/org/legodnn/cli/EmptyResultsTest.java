package org.legodnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.legodnn.graph.onnx.OnnxExporter;
import org.legodnn.graph.onnx.proto.OnnxProto.ModelProto;
import org.legodnn.nn.Linear;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.io.Safetensors;

/** A run that would produce nothing is a failure with one line, not exit 0 and an empty result. */
class EmptyResultsTest {

    @Test
    void aModelWithoutOutputsWritesNothing(@TempDir Path tmp) throws IOException {
        ModelProto m = OnnxExporter.toModel(new Linear(4, 2), 1, 4);
        ModelProto none = m.toBuilder().setGraph(m.getGraph().toBuilder().clearOutput()).build();
        Path model = tmp.resolve("none.onnx");
        Files.write(model, none.toByteArray());
        Path in = tmp.resolve("in.safetensors");
        Safetensors.write(in, Map.of("x", Tensor.zeros(1, 4)), null);
        Path out = tmp.resolve("out.safetensors");
        CliRun r = CliRun.of("run", "--model", model.toString(), "--input", in.toString(), "--output", out.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("declares no outputs"), r.err());
        assertFalse(Files.exists(out), "no empty file written");
    }

    @Test
    void evalOnNoImagesIsAnError(@TempDir Path tmp) throws IOException {
        // Fashion-MNIST's four IDX files, valid, with one training image and no test image
        Files.write(tmp.resolve("train-images-idx3-ubyte"), idx(0x803, 1, new byte[28 * 28], 28, 28));
        Files.write(tmp.resolve("train-labels-idx1-ubyte"), idx(0x801, 1, new byte[1]));
        Files.write(tmp.resolve("t10k-images-idx3-ubyte"), idx(0x803, 0, new byte[0], 28, 28));
        Files.write(tmp.resolve("t10k-labels-idx1-ubyte"), idx(0x801, 0, new byte[0]));
        CliRun r = CliRun.of("eval", "--model", "default", "--dataset", "fashion-mnist", "--data", tmp.toString(),
                "--json");
        assertTrue(r.code() == 1 || r.code() == 2, "not a result: exit " + r.code() + " " + r.out() + r.err());
        assertEquals("", r.out(), "no accuracy printed");
        assertTrue(r.err().lines().anyMatch(l -> l.startsWith("legodnn eval: ") && l.contains("no images")
                || l.startsWith("legodnn eval: ") && l.contains("t10k")), r.err());
    }

    private static byte[] idx(int magic, int count, byte[] data, int... dims) {
        ByteBuffer b = ByteBuffer.allocate(8 + 4 * dims.length + data.length);
        b.putInt(magic).putInt(count);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(data).array();
    }
}
