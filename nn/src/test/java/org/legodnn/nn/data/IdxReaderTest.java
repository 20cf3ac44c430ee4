package org.legodnn.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path dir;

    /** An idx3 file of n images of h×w with pixel (i, y, x) = (i * 31 + y * 7 + x) mod 256. */
    static byte[] images(int n, int h, int w) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x00000803);
        out.writeInt(n);
        out.writeInt(h);
        out.writeInt(w);
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out.writeByte((i * 31 + y * 7 + x) & 0xff);
                }
            }
        }
        return bytes.toByteArray();
    }

    /** An idx1 file of n labels, label i = i mod classes. */
    static byte[] labels(int n, int classes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x00000801);
        out.writeInt(n);
        for (int i = 0; i < n; i++) {
            out.writeByte(i % classes);
        }
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(plain);
        }
        return bytes.toByteArray();
    }

    @Test
    void readsPlainAndGzipIdentically() throws IOException {
        Path plain = Files.write(dir.resolve("img-idx3-ubyte"), images(5, 4, 3));
        Path gz = Files.write(dir.resolve("img-idx3-ubyte.gz"), gzip(images(5, 4, 3)));
        IdxReader.IdxArray a = IdxReader.read(plain);
        IdxReader.IdxArray b = IdxReader.read(gz);
        assertArrayEquals(new int[] {5, 4, 3}, a.dims());
        assertArrayEquals(a.data(), b.data());
        assertEquals((2 * 31 + 1 * 7 + 2) & 0xff, a.data()[2 * 12 + 1 * 3 + 2] & 0xff);
    }

    @Test
    void detectsGzipByContentNotName() throws IOException {
        Path gzNamedPlain = Files.write(dir.resolve("labels"), gzip(labels(7, 3)));
        Path plainNamedGz = Files.write(dir.resolve("labels.gz"), labels(7, 3));
        assertArrayEquals(IdxReader.read(gzNamedPlain).data(), IdxReader.read(plainNamedGz).data());
    }

    @Test
    void buildsADatasetInUnitRange() throws IOException {
        Path img = Files.write(dir.resolve("i.gz"), gzip(images(6, 2, 2)));
        Path lab = Files.write(dir.resolve("l"), labels(6, 3));
        InMemoryDataset ds = IdxReader.dataset(img, lab, List.of("a", "b", "c"));
        assertEquals(6, ds.size());
        assertEquals(1, ds.channels());
        assertEquals(2, ds.height());
        assertEquals(2, ds.width());
        assertEquals(3, ds.classes());
        assertEquals(2, ds.label(5));
        float[] x = ds.image(4);
        for (int y = 0; y < 2; y++) {
            for (int xx = 0; xx < 2; xx++) {
                assertEquals(((4 * 31 + y * 7 + xx) & 0xff) / 255f, x[y * 2 + xx]);
            }
        }
    }

    @Test
    void numbersClassesWhenNoNamesAreGiven() throws IOException {
        Path img = Files.write(dir.resolve("i"), images(4, 2, 2));
        Path lab = Files.write(dir.resolve("l"), labels(4, 4));
        assertEquals(List.of("0", "1", "2", "3"), IdxReader.dataset(img, lab, null).classNames());
    }

    @Test
    void rejectsAFileThatIsNotIdx() throws IOException {
        Path bad = Files.write(dir.resolve("bad.gz"), gzip("hello world".getBytes()));
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(bad));
        assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("expected 00 00 08"), e.getMessage());
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        assertTrue(assertThrows(IOException.class, () -> IdxReader.read(empty)).getMessage().contains("empty file"));
    }

    @Test
    void rejectsOtherValueTypes() throws IOException {
        Path f = Files.write(dir.resolve("floats"), new byte[] {0, 0, 0x0d, 1, 0, 0, 0, 0});
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(f));
        assertTrue(e.getMessage().contains("0x0d") && e.getMessage().contains("0x08"), e.getMessage());
    }

    @Test
    void rejectsTruncatedAndOverlongFiles() throws IOException {
        byte[] full = images(3, 4, 4);
        Path cut = Files.write(dir.resolve("cut.gz"), gzip(java.util.Arrays.copyOf(full, full.length - 5)));
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(cut));
        assertTrue(e.getMessage().contains("ends after 43 of the 48 data bytes"), e.getMessage());
        Path shortHeader = Files.write(dir.resolve("short"), java.util.Arrays.copyOf(full, 10));
        assertTrue(assertThrows(IOException.class, () -> IdxReader.read(shortHeader)).getMessage().contains("ends early"));
        Path longer = Files.write(dir.resolve("long"), java.util.Arrays.copyOf(full, full.length + 1));
        assertTrue(assertThrows(IOException.class, () -> IdxReader.read(longer)).getMessage().contains("bytes after"));
    }

    @Test
    void rejectsMismatchedCountsAndRanks() throws IOException {
        Path img = Files.write(dir.resolve("i"), images(4, 2, 2));
        Path lab = Files.write(dir.resolve("l"), labels(5, 2));
        IOException e = assertThrows(IOException.class, () -> IdxReader.dataset(img, lab, null));
        assertTrue(e.getMessage().contains("4 images") && e.getMessage().contains("5 labels"), e.getMessage());
        IOException swapped = assertThrows(IOException.class, () -> IdxReader.dataset(lab, img, null));
        assertTrue(swapped.getMessage().contains("expected an idx3 images file"), swapped.getMessage());
        Path lab3 = Files.write(dir.resolve("l3"), labels(4, 3));
        IOException range = assertThrows(IOException.class, () -> IdxReader.dataset(img, lab3, List.of("a", "b")));
        assertTrue(range.getMessage().contains("label 2"), range.getMessage());
    }

    @Test
    void missingFileNamesIt() {
        Path none = dir.resolve("nope-idx3-ubyte.gz");
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(none));
        assertTrue(e.getMessage().contains(none.toString()), e.getMessage());
    }

    /** An IDX header of unsigned bytes with {@code dims}, without any values. */
    private static byte[] header(int... dims) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x00000800 | dims.length);
        for (int d : dims) {
            out.writeInt(d);
        }
        return bytes.toByteArray();
    }

    @Test
    void aGzipBombIsRefusedFromItsHeaderBeforeDecompressing() throws IOException {
        // 2,000,000 images of 28x28: 1.5 GiB announced, more than one file may hold
        Path bomb = dir.resolve("bomb-images-idx3-ubyte.gz");
        Files.write(bomb, gzip(concat(header(2_000_000, 28, 28), new byte[1 << 16])));
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(bomb));
        assertTrue(e.getMessage().startsWith(bomb + ": IDX header [2000000, 28, 28] announces 1568000000 values, more than"
                + " the limit"), e.getMessage());
        // under the limit, but more than the few kilobytes of gzip data could expand to
        Path small = dir.resolve("small-images-idx3-ubyte.gz");
        Files.write(small, gzip(concat(header(600_000, 28, 28), new byte[1 << 10])));
        e = assertThrows(IOException.class, () -> IdxReader.read(small));
        assertTrue(e.getMessage().contains("more than " + Files.size(small) + " bytes of gzip data can hold"), e.getMessage());
    }

    @Test
    void headersAreCheckedAgainstThePlainFileSize() throws IOException {
        Path truncated = dir.resolve("truncated-idx3-ubyte");
        Files.write(truncated, concat(header(10, 28, 28), new byte[100]));
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(truncated));
        assertTrue(e.getMessage().contains("announces 7840 data bytes, the file holds 100 (truncated download?)"),
                e.getMessage());
        Path rank = dir.resolve("rank-idx");
        Files.write(rank, header(1, 1, 1, 1, 1, 1));
        e = assertThrows(IOException.class, () -> IdxReader.read(rank));
        assertTrue(e.getMessage().contains("announces 6 dimensions"), e.getMessage());
        Path empty = dir.resolve("empty-images-idx3-ubyte");
        Files.write(empty, header(0, 28, 28));
        Path labels = dir.resolve("empty-labels-idx1-ubyte");
        Files.write(labels, header(0));
        e = assertThrows(IOException.class, () -> IdxReader.dataset(empty, labels, null));
        assertTrue(e.getMessage().contains("holds no images"), e.getMessage());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
