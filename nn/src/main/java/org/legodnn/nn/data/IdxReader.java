package org.legodnn.nn.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX files that MNIST and Fashion-MNIST come in, gzipped or plain (told apart by their first
 * bytes, not by the file name). Layout, all big-endian: two zero bytes, a type byte (0x08 = unsigned
 * byte, the only type these data sets use), the number of dimensions, one 32-bit size per dimension, then
 * the values in row-major order. Images are {@code idx3} ([count, rows, columns]), labels {@code idx1}
 * ([count]).
 */
public final class IdxReader {

    /** One IDX file's contents: its dimensions and unsigned-byte values; {@code source} names it in errors. */
    public record IdxArray(String source, int[] dims, byte[] data) {
    }

    private static final int TYPE_UBYTE = 0x08;
    /** The most dimensions an IDX file here has (images: 3); more is a corrupt or foreign header. */
    private static final int MAX_RANK = 4;
    /**
     * The most values one file may announce: 1 GiB, twice EMNIST's largest split (547 M values), far below
     * a Java array's limit. A header beyond it is refused before anything is read or allocated.
     */
    static final long MAX_VALUES = 1L << 30;
    /** Deflate cannot expand data more than about 1032 times; a gzip file promising more is lying. */
    private static final long MAX_GZIP_RATIO = 1100;

    private IdxReader() {
    }

    /**
     * Reads an IDX file, gunzipping it first when it starts with the gzip magic bytes 1f 8b. The header is checked
     * against the file's size and the limits before the values are allocated, and no more than the header
     * announces is decompressed.
     */
    public static IdxArray read(Path file) throws IOException {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file (expected an IDX file, gzipped or plain)", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(file.toString(), in, size);
        }
    }

    /** Reads an IDX stream (gzipped or plain); {@code source} names it in error messages. */
    public static IdxArray read(String source, InputStream raw) throws IOException {
        return read(source, raw, -1);
    }

    private static IdxArray read(String source, InputStream raw, long fileSize) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        InputStream in = buffered;
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        try {
            if (gzip) {
                in = new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16);
            }
            return parse(source, new DataInputStream(in), fileSize, gzip);
        } catch (EOFException e) {
            throw new IOException(source + ": IDX file ends early" + (gzip ? " (gzip data truncated)" : ""), e);
        } catch (java.util.zip.ZipException e) {
            throw new IOException(source + ": gzip data is corrupt (" + e.getMessage() + ")", e);
        }
    }

    private static IdxArray parse(String source, DataInputStream in, long fileSize, boolean gzip) throws IOException {
        byte[] magic = new byte[4];
        int got = in.readNBytes(magic, 0, 4);
        if (got < 4 || magic[0] != 0 || magic[1] != 0 || magic[3] < 1) {
            throw new IOException(source + ": not an IDX file (first bytes " + hex(magic, got)
                    + ", expected 00 00 08 0N: two zero bytes, the type 0x08, the number of dimensions)");
        }
        int type = magic[2] & 0xff;
        if (type != TYPE_UBYTE) {
            throw new IOException(source + ": IDX value type 0x" + String.format("%02x", type)
                    + " is not supported (expected 0x08, unsigned bytes, as in MNIST and Fashion-MNIST)");
        }
        int rank = magic[3] & 0xff;
        if (rank > MAX_RANK) {
            throw new IOException(source + ": IDX header announces " + rank + " dimensions (expected 1 for labels, 3 for"
                    + " images, at most " + MAX_RANK + ")");
        }
        int[] dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = in.readInt();
            if (dims[i] < 0) {
                throw new IOException(source + ": IDX dimension " + i + " is negative (" + dims[i] + ")");
            }
            count = Math.min(count * dims[i], Long.MAX_VALUE / Integer.MAX_VALUE);
        }
        String shape = java.util.Arrays.toString(dims);
        if (count > MAX_VALUES) {
            throw new IOException(source + ": IDX header " + shape + " announces " + count + " values, more than the"
                    + " limit of " + MAX_VALUES + " (1 GiB) for one file (corrupt header?)");
        }
        long headerBytes = 4 + 4L * rank;
        if (fileSize >= 0 && !gzip && fileSize != headerBytes + count) {
            throw new IOException(source + ": IDX header " + shape + " announces " + count + " data bytes, the file"
                    + " holds " + Math.max(0, fileSize - headerBytes) + (fileSize < headerBytes + count
                    ? " (truncated download?)" : " (bytes after the values)"));
        }
        if (fileSize >= 0 && gzip && count > MAX_GZIP_RATIO * fileSize + (1 << 20)) {
            throw new IOException(source + ": IDX header " + shape + " announces " + count + " values, more than "
                    + fileSize + " bytes of gzip data can hold (corrupt header or a decompression bomb)");
        }
        long heap = Runtime.getRuntime().maxMemory();
        if (count > heap / 2) {
            throw new IOException(source + ": IDX header " + shape + " announces " + (count >> 20) + " MiB of values,"
                    + " more than half of this JVM's heap (" + (heap >> 20) + " MiB); give Java more memory"
                    + " (e.g. LEGODNN_JAVA_OPTS=-Xmx8g)");
        }
        byte[] data = new byte[(int) count];
        int read = in.readNBytes(data, 0, data.length);
        if (read < count) {
            throw new IOException(source + ": IDX file ends after " + read + " of the " + count
                    + " data bytes that its header " + shape + " announces (truncated download?)");
        }
        if (in.read() >= 0) {
            throw new IOException(source + ": IDX file has bytes after the " + count + " values that its header "
                    + shape + " announces");
        }
        return new IdxArray(source, dims, data);
    }

    private static String hex(byte[] b, int n) {
        if (n <= 0) {
            return "(none: empty file)";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : " ").append(String.format("%02x", b[i] & 0xff));
        }
        return sb.toString();
    }

    /** A data set from an images file and a labels file. */
    public static InMemoryDataset dataset(Path images, Path labels, List<String> classNames) throws IOException {
        return dataset(read(images), read(labels), classNames);
    }

    /**
     * A data set from an {@code idx3} images array ([count, rows, columns], one gray channel) and an
     * {@code idx1} labels array ([count]).
     *
     * @param classNames the class names, or null to number the classes
     */
    public static InMemoryDataset dataset(IdxArray images, IdxArray labels, List<String> classNames) throws IOException {
        if (images.dims().length != 3) {
            throw new IOException(images.source() + ": expected an idx3 images file ([count, rows, columns]), got "
                    + images.dims().length + " dimensions " + java.util.Arrays.toString(images.dims()));
        }
        if (labels.dims().length != 1) {
            throw new IOException(labels.source() + ": expected an idx1 labels file ([count]), got "
                    + labels.dims().length + " dimensions " + java.util.Arrays.toString(labels.dims()));
        }
        int n = images.dims()[0];
        if (n == 0 || images.dims()[1] == 0 || images.dims()[2] == 0) {
            throw new IOException(images.source() + ": holds no images (dimensions " + java.util.Arrays.toString(images.dims())
                    + "; expected at least one image of at least 1x1 pixels)");
        }
        if (labels.dims()[0] != n) {
            throw new IOException(images.source() + " holds " + n + " images but " + labels.source() + " holds "
                    + labels.dims()[0] + " labels (expected the same count)");
        }
        int[] y = new int[n];
        byte[] raw = labels.data();
        int classes = classNames == null ? Integer.MAX_VALUE : classNames.size();
        for (int i = 0; i < n; i++) {
            y[i] = raw[i] & 0xff;
            if (y[i] >= classes) {
                throw new IOException(labels.source() + ": label " + y[i] + " of item " + i + " is outside the "
                        + classes + " classes " + classNames);
            }
        }
        return new InMemoryDataset(images.data(), y, 1, images.dims()[1], images.dims()[2], classNames);
    }
}
