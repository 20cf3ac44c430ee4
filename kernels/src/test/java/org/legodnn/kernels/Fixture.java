package org.legodnn.kernels;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.legodnn.testing.ReferenceData;

/**
 * One PyTorch reference case ({@code testdata/pytorch/ops/<name>.safetensors}) read into float
 * arrays, so kernel tests can compare against PyTorch's own numbers. Test-only and minimal: F32 tensors and
 * the case's {@code attrs} metadata, nothing else.
 */
public final class Fixture {

    private final String name;
    private final Map<String, Object> header;
    private final ByteBuffer data;

    private Fixture(String name, Map<String, Object> header, ByteBuffer data) {
        this.name = name;
        this.header = header;
        this.data = data;
    }

    /** Reads {@code pytorch/ops/<name>.safetensors} in the repository's {@code testdata/}. */
    public static Fixture op(String name) {
        Path file = ReferenceData.pytorch().resolve("ops").resolve(name + ".safetensors");
        try {
            byte[] bytes = Files.readAllBytes(file);
            ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            int headerLen = Math.toIntExact(buf.getLong(0));
            String json = new String(bytes, 8, headerLen, StandardCharsets.UTF_8);
            ByteBuffer data = ByteBuffer.wrap(bytes, 8 + headerLen, bytes.length - 8 - headerLen).slice()
                    .order(ByteOrder.LITTLE_ENDIAN);
            return new Fixture(name, JSON.std.mapFrom(json), data);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read PyTorch fixture " + file + ": " + e.getMessage(), e);
        }
    }

    /** The F32 tensor {@code tensor}, flattened. */
    public float[] get(String tensor) {
        Map<String, Object> entry = entry(tensor);
        if (!"F32".equals(entry.get("dtype"))) {
            throw new IllegalStateException(name + "/" + tensor + " is " + entry.get("dtype") + ", expected F32");
        }
        List<?> offsets = (List<?>) entry.get("data_offsets");
        int begin = ((Number) offsets.get(0)).intValue();
        int end = ((Number) offsets.get(1)).intValue();
        float[] out = new float[(end - begin) / 4];
        data.slice(begin, end - begin).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /** The shape of {@code tensor}. */
    public int[] shape(String tensor) {
        List<?> dims = (List<?>) entry(tensor).get("shape");
        int[] out = new int[dims.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) dims.get(i)).intValue();
        }
        return out;
    }

    /** The case's attributes ({@code __metadata__.attrs}, itself a JSON string), e.g. kernel and stride. */
    Map<String, Object> attrs() {
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = (Map<String, Object>) header.get("__metadata__");
        try {
            return JSON.std.mapFrom((String) meta.get("attrs"));
        } catch (IOException e) {
            throw new IllegalStateException(name + ": bad attrs metadata: " + e.getMessage(), e);
        }
    }

    /** An integer attribute, or {@code fallback} when the case does not name it. */
    public int intAttr(String key, int fallback) {
        Object v = attrs().get(key);
        return v == null ? fallback : ((Number) v).intValue();
    }

    /** A boolean attribute, or {@code fallback} when the case does not name it. */
    public boolean boolAttr(String key, boolean fallback) {
        Object v = attrs().get(key);
        return v == null ? fallback : (Boolean) v;
    }

    /** A floating-point attribute, or {@code fallback} when the case does not name it. */
    public double doubleAttr(String key, double fallback) {
        Object v = attrs().get(key);
        return v == null ? fallback : ((Number) v).doubleValue();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> entry(String tensor) {
        Object e = header.get(tensor);
        if (e == null) {
            throw new IllegalStateException(name + " has no tensor " + tensor + "; it has " + header.keySet());
        }
        return (Map<String, Object>) e;
    }
}
