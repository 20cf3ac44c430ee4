package org.legodnn.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.legodnn.tensor.io.Safetensors;
import org.legodnn.tensor.io.SafetensorsFile;
import org.legodnn.testing.ReferenceData;

class SafetensorsTest {

    static Path reference() {
        return ReferenceData.testdata();
    }

    @Test
    void readsPytorchFixture() throws IOException {
        SafetensorsFile f = SafetensorsFile.open(reference().resolve("pytorch/ops/conv3x3_s2.safetensors"));
        Tensor w = f.tensor("w");
        Tensor x = f.tensor("x");
        assertEquals(4, w.rank());
        assertEquals(4, x.rank());
        assertEquals(x.dim(1), w.dim(1), "conv weight's in-channels match the input");
        assertTrue(f.names().contains("gb"));
    }

    @Test
    void readsInt64Targets() throws IOException {
        SafetensorsFile f = SafetensorsFile.open(reference().resolve("pytorch/ops/cross_entropy_mean.safetensors"));
        long[] target = f.longs("target");
        Tensor logits = f.tensor("logits");
        assertEquals(logits.dim(0), target.length);
        for (long t : target) {
            assertTrue(t >= 0 && t < logits.dim(1));
        }
    }

    @Test
    void roundTripsWithMetadata(@TempDir Path dir) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("a.weight", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        tensors.put("b", Tensor.scalar(-0.5f));
        Path file = dir.resolve("w.safetensors");
        Safetensors.write(file, tensors, Map.of("format", "pt"));
        SafetensorsFile back = SafetensorsFile.open(file);
        assertEquals(java.util.List.of("a.weight", "b"), back.names());
        assertArrayEquals(new int[] {2, 3}, back.tensor("a.weight").shape());
        assertArrayEquals(tensors.get("a.weight").data(), back.tensor("a.weight").data());
        assertEquals(-0.5f, back.tensor("b").item());
        assertEquals("pt", back.metadata().get("format"));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void rejectsTruncatedFileNamingIt(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.safetensors");
        Files.write(bad, new byte[] {100, 0, 0, 0, 0, 0, 0, 0, '{', '}'});
        IOException e = assertThrows(IOException.class, () -> SafetensorsFile.open(bad));
        assertTrue(e.getMessage().contains("bad.safetensors"), e.getMessage());
    }

    /** A file of {@code header} (JSON) and {@code dataBytes} zero bytes. */
    private static Path crafted(Path dir, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path f = dir.resolve("crafted.safetensors");
        Files.write(f, b.array());
        return f;
    }

    @Test
    void hostileHeadersFailBeforeAnythingIsAllocated(@TempDir Path dir) throws IOException {
        // an unknown dtype with huge dimensions: refused by name before an array of 10^10 floats is made
        Path huge = crafted(dir, "{\"t\": {\"dtype\": \"X9\", \"shape\": [100000, 100000], \"data_offsets\": [0, 8]}}", 8);
        IOException e = assertThrows(IOException.class, () -> SafetensorsFile.open(huge));
        assertTrue(e.getMessage().contains("dtype 'X9'"), e.getMessage());
        for (String shape : new String[] {"[2.5]", "[-3]", "[\"4\"]", "[3000000000]"}) {
            Path bad = crafted(dir, "{\"t\": {\"dtype\": \"F32\", \"shape\": " + shape + ", \"data_offsets\": [0, 8]}}", 8);
            IOException io = assertThrows(IOException.class, () -> SafetensorsFile.open(bad), shape);
            assertTrue(io.getMessage().contains("dimension") && io.getMessage().contains("crafted.safetensors"),
                    io.getMessage());
        }
        Path overflow = crafted(dir, "{\"t\": {\"dtype\": \"F32\", \"shape\": [2000000000, 2000000000, 2000000000],"
                + " \"data_offsets\": [0, 8]}}", 8);
        IOException io = assertThrows(IOException.class, () -> SafetensorsFile.open(overflow));
        assertTrue(io.getMessage().contains("more bytes than any file holds"), io.getMessage());
    }

    @Test
    void overlappingOrGappedRangesAreRefused(@TempDir Path dir) throws IOException {
        Path overlap = crafted(dir, "{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
                + " \"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}", 12);
        IOException e = assertThrows(IOException.class, () -> SafetensorsFile.open(overlap));
        assertTrue(e.getMessage().contains("'a' [0, 8) and 'b' [4, 12) overlap"), e.getMessage());
        Path gap = crafted(dir, "{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", 8);
        e = assertThrows(IOException.class, () -> SafetensorsFile.open(gap));
        assertTrue(e.getMessage().contains("[0, 4) before tensor 'a' belong to no tensor"), e.getMessage());
        Path tail = crafted(dir, "{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", 8);
        e = assertThrows(IOException.class, () -> SafetensorsFile.open(tail));
        assertTrue(e.getMessage().contains("4 data bytes after the last tensor"), e.getMessage());
    }

    @Test
    void pytorchPicklesAreNamedWithTheWayToConvertThem(@TempDir Path dir) throws IOException {
        Path zip = dir.resolve("model.pth");
        Files.write(zip, new byte[] {'P', 'K', 3, 4, 20, 0, 8, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        IOException e = assertThrows(IOException.class, () -> SafetensorsFile.open(zip));
        assertTrue(e.getMessage().startsWith(zip + ": not a safetensors file: it is a zip archive"), e.getMessage());
        assertTrue(e.getMessage().contains("save_file(model.state_dict(), \"m.safetensors\")"), e.getMessage());
        Path pickle = dir.resolve("legacy.pth");
        Files.write(pickle, new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20});
        e = assertThrows(IOException.class, () -> SafetensorsFile.open(pickle));
        assertTrue(e.getMessage().contains("a Python pickle (protocol 2)"), e.getMessage());
    }

    @Test
    void dataBeyondTwoGibibytesIsRefusedBeforeMapping(@TempDir Path dir) throws IOException {
        Path big = crafted(dir, "{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", 4);
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength((1L << 31) + 4096); // sparse: no disk space used
        }
        IOException e = assertThrows(IOException.class, () -> SafetensorsFile.open(big));
        assertTrue(e.getMessage().contains("more than the 2 GiB one file may hold here"), e.getMessage());
    }
}
