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

    /** Reads and validates the header, and maps the data. */
    public static SafetensorsFile open(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            if (fileSize < 8) {
                throw new IOException(path + ": not a safetensors file (" + fileSize + " bytes, expected at least 8)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, path);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen < 2 || headerLen > MAX_HEADER || 8 + headerLen > fileSize) {
                throw new IOException(path + ": header length " + headerLen + " does not fit a file of " + fileSize + " bytes");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
            readFully(ch, headerBuf, 8, path);
            String json = new String(headerBuf.array(), java.nio.charset.StandardCharsets.UTF_8);
            long dataStart = 8 + headerLen;
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
        if (bytes.length < 8) {
            throw new IOException(source + ": not a safetensors file (" + bytes.length + " bytes, expected at least 8)");
        }
        ByteBuffer all = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen = all.getLong(0);
        if (headerLen < 2 || headerLen > MAX_HEADER || 8 + headerLen > bytes.length) {
            throw new IOException(source + ": header length " + headerLen + " does not fit " + bytes.length + " bytes");
        }
        String json = new String(bytes, 8, (int) headerLen, java.nio.charset.StandardCharsets.UTF_8);
        ByteBuffer body = all.position(8 + (int) headerLen).slice().order(ByteOrder.LITTLE_ENDIAN);
        return parse(path, json, body);
    }

    private static SafetensorsFile parse(Path path, String json, ByteBuffer body) throws IOException {
        Map<String, Object> header;
        try {
            header = JSON.std.mapFrom(json);
        } catch (IOException e) {
            throw new IOException(path + ": header is not valid JSON: " + e.getMessage(), e);
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                if (e.getValue() instanceof Map<?, ?> m) {
                    m.forEach((k, v) -> metadata.put(String.valueOf(k), String.valueOf(v)));
                }
                continue;
            }
            entries.put(e.getKey(), entry(path, e.getKey(), e.getValue(), body.capacity()));
        }
        return new SafetensorsFile(path, body, Collections.unmodifiableMap(entries), Collections.unmodifiableMap(metadata));
    }

    private static Entry entry(Path path, String name, Object value, long dataBytes) throws IOException {
        if (!(value instanceof Map<?, ?> m)) {
            throw new IOException(path + ": tensor '" + name + "' has no header object");
        }
        Object dtype = m.get("dtype");
        Object shape = m.get("shape");
        Object offsets = m.get("data_offsets");
        if (!(dtype instanceof String) || !(shape instanceof List<?> dims) || !(offsets instanceof List<?> off) || off.size() != 2) {
            throw new IOException(path + ": tensor '" + name + "' needs dtype, shape and data_offsets [begin, end]");
        }
        int[] s = new int[dims.size()];
        long count = 1;
        for (int i = 0; i < s.length; i++) {
            Object d = dims.get(i);
            if (!(d instanceof Integer || d instanceof Long) || ((Number) d).longValue() < 0
                    || ((Number) d).longValue() > Integer.MAX_VALUE) {
                throw new IOException(path + ": tensor '" + name + "' has dimension " + d + " in its shape " + dims
                        + " (expected whole numbers from 0 to " + Integer.MAX_VALUE + ")");
            }
            s[i] = ((Number) d).intValue();
            try {
                count = Math.multiplyExact(count, s[i]);
            } catch (ArithmeticException overflow) {
                throw new IOException(path + ": tensor '" + name + "' of shape " + dims + " has too many elements");
            }
        }
        long begin = ((Number) off.get(0)).longValue();
        long end = ((Number) off.get(1)).longValue();
        int width = bytesPer((String) dtype);
        if (begin < 0 || end < begin || end > dataBytes) {
            throw new IOException(path + ": tensor '" + name + "' has byte range [" + begin + ", " + end
                    + ") outside the " + dataBytes + " data bytes");
        }
        if (width > 0 && end - begin != count * width) {
            throw new IOException(path + ": tensor '" + name + "' of shape " + java.util.Arrays.toString(s) + " and dtype "
                    + dtype + " needs " + count * width + " bytes, its range has " + (end - begin));
        }
        return new Entry(name, (String) dtype, s, begin, end);
    }

    private static int bytesPer(String dtype) {
        return switch (dtype) {
            case "F64", "I64", "U64" -> 8;
            case "F32", "I32", "U32" -> 4;
            case "F16", "BF16", "I16", "U16" -> 2;
            case "I8", "U8", "BOOL" -> 1;
            default -> 0;
        };
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos, Path path) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos + buf.position());
            if (r < 0) {
                throw new IOException(path + ": file ends early");
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
