package org.legodnn.tensor.io;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.legodnn.tensor.Tensor;

/**
 * A safetensors file opened for reading: the format PyTorch, Hugging Face and this project use for weights
 * and for the reference data. Layout: an 8-byte little-endian header length N, N bytes of JSON naming each
 * tensor's dtype, shape and byte range, then the raw little-endian data.
 */
public final class SafetensorsFile {

    /** One tensor's header entry. */
    public record Entry(String name, String dtype, int[] shape, long begin, long end) {
    }

    private static final long MAX_HEADER = 100L << 20;
    /** More dimensions than any tensor here has; a longer shape is a corrupt header. */
    private static final int MAX_RANK = 16;
    private static final String DTYPES = "F64, F32, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8, BOOL, F8_E4M3, F8_E5M2";

    private final Path path;
    private final ByteBuffer data;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, ByteBuffer data, Map<String, Entry> entries, Map<String, String> metadata) {
        this.path = path;
        this.data = data;
        this.entries = entries;
        this.metadata = metadata;
    }

    /**
     * Reads and validates the header, and maps the data.
     *
     * @throws IOException naming the file and what is wrong with it, before anything the header announces is
     *                     allocated: a file of another kind (a PyTorch pickle, a zip, an ONNX model), a header
     *                     length, dtype, shape or byte range that does not fit the file, overlapping or
     *                     gapped tensor data
     */
    public static SafetensorsFile open(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            ByteBuffer lenBuf = ByteBuffer.allocate((int) Math.min(8, fileSize)).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, path);
            long headerLen = checkHeaderLength(path.toString(), lenBuf.array(), fileSize);
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
            readFully(ch, headerBuf, 8, path);
            String json = new String(headerBuf.array(), java.nio.charset.StandardCharsets.UTF_8);
            long dataStart = 8 + headerLen;
            if (fileSize - dataStart > Integer.MAX_VALUE) {
                throw new IOException(path + ": " + (fileSize - dataStart) + " bytes of tensor data, more than the 2 GiB"
                        + " one file may hold here (save the weights in shards of at most 2 GiB)");
            }
            ByteBuffer body = ch.map(FileChannel.MapMode.READ_ONLY, dataStart, fileSize - dataStart)
                    .order(ByteOrder.LITTLE_ENDIAN);
            return parse(path, json, body);
        }
    }

    /**
     * Reads a safetensors image held in memory, e.g. a resource inside the jar; {@code source} names it in
     * error messages.
     */
    public static SafetensorsFile fromBytes(String source, byte[] bytes) throws IOException {
        Path path = Path.of(source);
        long headerLen = checkHeaderLength(source, bytes, bytes.length);
        String json = new String(bytes, 8, (int) headerLen, java.nio.charset.StandardCharsets.UTF_8);
        ByteBuffer all = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer body = all.position(8 + (int) headerLen).slice().order(ByteOrder.LITTLE_ENDIAN);
        return parse(path, json, body);
    }

    /**
     * The header length that the first bytes {@code head} of a file of {@code fileSize} bytes announce, checked
     * to fit the file and the limit; a file of another kind is named as such.
     */
    private static long checkHeaderLength(String source, byte[] head, long fileSize) throws IOException {
        int n = (int) Math.min(head.length, fileSize);
        String foreign = ForeignFormats.describe(head, n);
        if (fileSize < 8) {
            throw new IOException(source + ": not a safetensors file (" + fileSize + " bytes, expected at least 8"
                    + (foreign == null ? ")" : "; it is " + foreign + ")"));
        }
        long headerLen = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLen < 2 || headerLen > MAX_HEADER || 8 + headerLen > fileSize) {
            if (foreign != null) {
                throw new IOException(source + ": not a safetensors file: it is " + foreign);
            }
            throw new IOException(source + ": header length " + headerLen + " does not fit a file of " + fileSize
                    + " bytes (expected 2 to " + Math.min(MAX_HEADER, fileSize - 8)
                    + ": is this a safetensors file?)");
        }
        return headerLen;
    }

    private static SafetensorsFile parse(Path path, String json, ByteBuffer body) throws IOException {
        if (!json.stripLeading().startsWith("{")) {
            throw new IOException(path + ": header is not a JSON object (it starts with '"
                    + printable(json.substring(0, Math.min(16, json.length()))) + "'; expected '{')");
        }
        Map<String, Object> header;
        try {
            header = JSON.std.mapFrom(json);
        } catch (IOException | RuntimeException e) {
            throw new IOException(path + ": header is not valid JSON: " + firstLine(e.getMessage()), e);
        }
        if (header == null) {
            throw new IOException(path + ": header is not a JSON object (expected {\"name\": {...}, ...})");
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                if (!(e.getValue() instanceof Map<?, ?> m)) {
                    throw new IOException(path + ": __metadata__ is " + kind(e.getValue())
                            + " (expected an object of strings)");
                }
                for (Map.Entry<?, ?> kv : m.entrySet()) {
                    if (!(kv.getValue() instanceof String v)) {
                        throw new IOException(path + ": __metadata__ '" + printable(String.valueOf(kv.getKey()))
                                + "' is " + kind(kv.getValue()) + " (expected a string)");
                    }
                    metadata.put(String.valueOf(kv.getKey()), v);
                }
                continue;
            }
            entries.put(e.getKey(), entry(path, e.getKey(), e.getValue(), body.capacity()));
        }
        checkRanges(path, entries.values(), body.capacity());
        return new SafetensorsFile(path, body, Collections.unmodifiableMap(entries), Collections.unmodifiableMap(metadata));
    }

    private static Entry entry(Path path, String name, Object value, long dataBytes) throws IOException {
        String where = path + ": tensor '" + printable(name) + "'";
        if (!(value instanceof Map<?, ?> m)) {
            throw new IOException(where + " is " + kind(value) + " (expected an object with dtype, shape and data_offsets)");
        }
        Object dtype = m.get("dtype");
        Object shape = m.get("shape");
        Object offsets = m.get("data_offsets");
        if (!(dtype instanceof String) || !(shape instanceof List<?> dims) || !(offsets instanceof List<?> off) || off.size() != 2) {
            throw new IOException(where + " needs dtype (a string), shape (a list) and data_offsets [begin, end]");
        }
        int width = bytesPer((String) dtype);
        if (width == 0) {
            throw new IOException(where + " has dtype '" + printable((String) dtype) + "' (expected one of "
                    + DTYPES + ")");
        }
        if (dims.size() > MAX_RANK) {
            throw new IOException(where + " has " + dims.size() + " dimensions (expected at most " + MAX_RANK + ")");
        }
        int[] s = new int[dims.size()];
        long count = 1;
        for (int i = 0; i < s.length; i++) {
            Object d = dims.get(i);
            if (!(d instanceof Integer || d instanceof Long) || ((Number) d).longValue() < 0
                    || ((Number) d).longValue() > Integer.MAX_VALUE) {
                throw new IOException(where + " has dimension " + (d instanceof String text ? "'" + printable(text)
                        + "' (a string)" : printable(String.valueOf(d))) + " in its shape"
                        + " (expected whole numbers from 0 to " + Integer.MAX_VALUE + ")");
            }
            s[i] = ((Number) d).intValue();
            count = s[i] != 0 && count > Long.MAX_VALUE / s[i] ? Long.MAX_VALUE : count * s[i];
        }
        long[] range = new long[2];
        for (int k = 0; k < 2; k++) {
            Object o = off.get(k);
            if (!(o instanceof Integer || o instanceof Long) || ((Number) o).longValue() < 0) {
                throw new IOException(where + " has data_offsets " + printable(String.valueOf(off))
                        + " (expected two whole numbers, begin <= end)");
            }
            range[k] = ((Number) o).longValue();
        }
        long begin = range[0];
        long end = range[1];
        if (end < begin || end > dataBytes) {
            throw new IOException(where + " has byte range [" + begin + ", " + end
                    + ") outside the " + dataBytes + " data bytes");
        }
        if (count > Long.MAX_VALUE / 8 || end - begin != count * width) {
            throw new IOException(where + " of shape " + java.util.Arrays.toString(s) + " and dtype " + dtype
                    + " needs " + (count > Long.MAX_VALUE / 8 ? "more bytes than any file holds" : count * width + " bytes")
                    + ", its range [" + begin + ", " + end + ") has " + (end - begin));
        }
        return new Entry(name, (String) dtype, s, begin, end);
    }

    /**
     * Checks that the tensors' byte ranges tile the data without overlapping (two tensors sharing bytes would
     * make writing one silently change the other) and without gaps (bytes no tensor owns), as the format says.
     */
    private static void checkRanges(Path path, java.util.Collection<Entry> entries, long dataBytes) throws IOException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(java.util.Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long at = 0;
        Entry previous = null;
        for (Entry e : sorted) {
            if (e.begin() < at) {
                throw new IOException(path + ": tensors '" + printable(previous.name()) + "' [" + previous.begin() + ", "
                        + previous.end() + ") and '" + printable(e.name()) + "' [" + e.begin() + ", " + e.end()
                        + ") overlap (expected each tensor's bytes to be its own)");
            }
            if (e.begin() > at) {
                throw new IOException(path + ": data bytes [" + at + ", " + e.begin() + ") before tensor '"
                        + printable(e.name()) + "' belong to no tensor (expected the ranges to follow each other)");
            }
            at = e.end();
            previous = e;
        }
        if (at != dataBytes) {
            throw new IOException(path + ": " + (dataBytes - at) + " data bytes after the last tensor belong to no"
                    + " tensor (expected the file to end at byte " + at + " of the data; truncated or appended to?)");
        }
    }

    /** A value's JSON kind, for messages (never the value itself, which may be huge or nested). */
    private static String kind(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "a list";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        return "the number " + v;
    }

    /** {@code text} for a one-line message: control characters escaped, at most 80 characters. */
    static String printable(String text) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length() && b.length() < 80; i++) {
            char c = text.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return text.length() > 80 ? b + "..." : b.toString();
    }

    private static String firstLine(String message) {
        String m = message == null ? "(no detail)" : message;
        int nl = m.indexOf('\n');
        return printable(nl < 0 ? m : m.substring(0, nl));
    }

    private static int bytesPer(String dtype) {
        return switch (dtype) {
            case "F64", "I64", "U64" -> 8;
            case "F32", "I32", "U32" -> 4;
            case "F16", "BF16", "I16", "U16" -> 2;
            case "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2" -> 1;
            default -> 0;
        };
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos, Path path) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos + buf.position());
            if (r < 0) {
                throw new IOException(path + ": file ends early (at byte " + (pos + buf.position()) + ")");
            }
        }
    }

    public Path path() {
        return path;
    }

    /** Tensor names in file order. */
    public List<String> names() {
        return new ArrayList<>(entries.keySet());
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    public Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException(path + ": no tensor named '" + name + "' (it has " + entries.keySet() + ")");
        }
        return e;
    }

    /** The {@code __metadata__} strings. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** A tensor as float32; F32 is read as is, F64/F16/BF16/I64/I32 are converted. */
    public Tensor tensor(String name) {
        Entry e = entry(name);
        if (bytesPer(e.dtype()) == 0 || !List.of("F32", "F64", "I64", "I32", "F16", "BF16").contains(e.dtype())) {
            throw new IllegalArgumentException(path + ": tensor '" + name + "' has dtype " + e.dtype()
                    + ", expected F32, F64, F16, BF16, I64 or I32");
        }
        int count = Math.toIntExact(org.legodnn.tensor.Shapes.size(e.shape())); // the byte range was checked against it
        float[] out = new float[count];
        ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        b.position((int) e.begin());
        switch (e.dtype()) {
            case "F32" -> b.asFloatBuffer().get(out);
            case "F64" -> {
                for (int i = 0; i < count; i++) {
                    out[i] = (float) b.getDouble();
                }
            }
            case "I64" -> {
                for (int i = 0; i < count; i++) {
                    out[i] = b.getLong();
                }
            }
            case "I32" -> {
                for (int i = 0; i < count; i++) {
                    out[i] = b.getInt();
                }
            }
            case "F16" -> {
                for (int i = 0; i < count; i++) {
                    out[i] = Half.toFloat(b.getShort());
                }
            }
            case "BF16" -> {
                for (int i = 0; i < count; i++) {
                    out[i] = Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
                }
            }
            default -> throw new IllegalArgumentException(path + ": tensor '" + name + "' has dtype " + e.dtype()
                    + ", expected F32, F64, F16, BF16, I64 or I32");
        }
        return Tensor.of(out, e.shape());
    }

    /** An integer tensor (I64 or I32), e.g. class labels. */
    public long[] longs(String name) {
        Entry e = entry(name);
        int count = (int) org.legodnn.tensor.Shapes.size(e.shape());
        long[] out = new long[count];
        ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        b.position((int) e.begin());
        switch (e.dtype()) {
            case "I64" -> b.asLongBuffer().get(out);
            case "I32" -> {
                for (int i = 0; i < count; i++) {
                    out[i] = b.getInt();
                }
            }
            default -> throw new IllegalArgumentException(path + ": tensor '" + name + "' has dtype " + e.dtype()
                    + ", expected I64 or I32");
        }
        return out;
    }

    /** Every tensor as float32, in file order. */
    public Map<String, Tensor> tensors() {
        Map<String, Tensor> all = new LinkedHashMap<>();
        for (String name : entries.keySet()) {
            all.put(name, tensor(name));
        }
        return all;
    }
}
