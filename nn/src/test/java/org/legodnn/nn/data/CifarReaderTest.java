package org.legodnn.nn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarReaderTest {

    @TempDir
    Path dir;

    /** Records with the given label bytes; pixel p of record r (over R, G, B planes) = (r * 13 + p) mod 256. */
    private static byte[] records(int[][] labelBytes, int firstRecord) {
        int labelCount = labelBytes[0].length;
        int record = labelCount + 3072;
        byte[] out = new byte[labelBytes.length * record];
        for (int r = 0; r < labelBytes.length; r++) {
            for (int k = 0; k < labelCount; k++) {
                out[r * record + k] = (byte) labelBytes[r][k];
            }
            for (int p = 0; p < 3072; p++) {
                out[r * record + labelCount + p] = (byte) (((firstRecord + r) * 13 + p) & 0xff);
            }
        }
        return out;
    }

    @Test
    void readsCifar10AcrossFiles() throws IOException {
        Path a = Files.write(dir.resolve("data_batch_1.bin"), records(new int[][] {{3}, {9}}, 0));
        Path b = Files.write(dir.resolve("data_batch_2.bin"), records(new int[][] {{0}}, 2));
        InMemoryDataset ds = CifarReader.read(List.of(a, b), CifarReader.Labels.CIFAR10, null);
        assertEquals(3, ds.size());
        assertEquals(3, ds.channels());
        assertEquals(32, ds.height());
        assertEquals(32, ds.width());
        assertEquals(10, ds.classes());
        assertEquals(3, ds.label(0));
        assertEquals(9, ds.label(1));
        assertEquals(0, ds.label(2));
        float[] x = ds.image(2);
        // Red plane first, then green (offset 1024), then blue (2048), each row by row: already CHW.
        for (int p : new int[] {0, 31, 32, 1023, 1024, 2047, 2048, 3071}) {
            assertEquals(((2 * 13 + p) & 0xff) / 255f, x[p], "pixel " + p);
        }
    }

    @Test
    void readsCifar100FineAndCoarseLabels() throws IOException {
        Path f = Files.write(dir.resolve("train.bin"), records(new int[][] {{19, 99}, {4, 30}}, 0));
        InMemoryDataset fine = CifarReader.read(List.of(f), CifarReader.Labels.CIFAR100_FINE, null);
        InMemoryDataset coarse = CifarReader.read(List.of(f), CifarReader.Labels.CIFAR100_COARSE, null);
        assertEquals(100, fine.classes());
        assertEquals(20, coarse.classes());
        assertEquals(99, fine.label(0));
        assertEquals(30, fine.label(1));
        assertEquals(19, coarse.label(0));
        assertEquals(4, coarse.label(1));
        assertEquals(((1 * 13 + 5) & 0xff) / 255f, fine.image(1)[5]);
        assertEquals(fine.image(1)[3000], coarse.image(1)[3000]);
    }

    @Test
    void takesClassNamesFromTheMetaFile() throws IOException {
        Path f = Files.write(dir.resolve("test_batch.bin"), records(new int[][] {{1}}, 0));
        List<String> names = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            names.add("class" + k);
        }
        Files.write(dir.resolve("batches.meta.txt"), (String.join("\n", names) + "\n\n").getBytes());
        assertEquals(names, CifarReader.read(List.of(f), CifarReader.Labels.CIFAR10, null).classNames());
    }

    @Test
    void rejectsPartialRecordsAndBadLabels() throws IOException {
        byte[] two = records(new int[][] {{1}, {2}}, 0);
        Path cut = Files.write(dir.resolve("cut.bin"), java.util.Arrays.copyOf(two, two.length - 1));
        IOException e = assertThrows(IOException.class, () -> CifarReader.read(List.of(cut), CifarReader.Labels.CIFAR10, null));
        assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("3073-byte records"), e.getMessage());
        // A CIFAR-100 file read as CIFAR-10 has the wrong record size.
        Path c100 = Files.write(dir.resolve("c100.bin"), records(new int[][] {{1, 2}}, 0));
        assertThrows(IOException.class, () -> CifarReader.read(List.of(c100), CifarReader.Labels.CIFAR10, null));
        Path badLabel = Files.write(dir.resolve("bad.bin"), records(new int[][] {{10}}, 0));
        IOException l = assertThrows(IOException.class, () -> CifarReader.read(List.of(badLabel), CifarReader.Labels.CIFAR10, null));
        assertTrue(l.getMessage().contains("label 10"), l.getMessage());
    }
}
