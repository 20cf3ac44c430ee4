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
    private static final long MAX_VALUES = Integer.MAX_VALUE - 16;

    private IdxReader() {
    }

    /** Reads an IDX file, gunzipping it first when it starts with the gzip magic bytes 1f 8b. */
    public static IdxArray read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(file.toString(), in);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file (expected an IDX file, gzipped or plain)", e);
        }
    }

    /** Reads an IDX stream (gzipped or plain); {@code source} names it in error messages. */
    public static IdxArray read(String source, InputStream raw) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        InputStream in = buffered;
        if (b0 == 0x1f && b1 == 0x8b) {
            in = new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16);
        }
        try {
            return parse(source, new DataInputStream(in));
        } catch (EOFException e) {
            throw new IOException(source + ": IDX file ends early (" + e.getMessage() + ")", e);
        }
    }

    private static IdxArray parse(String source, DataInputStream in) throws IOException {
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
        int[] dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = in.readInt();
            if (dims[i] < 0) {
                throw new IOException(source + ": IDX dimension " + i + " is negative (" + dims[i] + ")");
            }
            count *= dims[i];
            if (count > MAX_VALUES) {
                throw new IOException(source + ": IDX array of " + java.util.Arrays.toString(dims)
                        + " is too large to hold in one Java array");
            }
        }
        byte[] data = in.readNBytes((int) count);
        if (data.length < count) {
            throw new IOException(source + ": IDX file ends after " + data.length + " of the " + count
                    + " data bytes that its header " + java.util.Arrays.toString(dims) + " announces (truncated download?)");
        }
        if (in.read() >= 0) {
            throw new IOException(source + ": IDX file has bytes after the " + count + " values that its header "
                    + java.util.Arrays.toString(dims) + " announces");
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
