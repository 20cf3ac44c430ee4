package org.legodnn.core.latency;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link LatencyProfile} to and from JSON, so that a profile measured once on a device can be stored beside
 * the blocks and read back by the run-time optimizer. Lossless: doubles are written as Java prints them.
 *
 * <pre>{@code
 * {"format": "legodnn-latency-profile", "version": 1, "backend": "cpu", "batch_size": 1, "threads": 2,
 *  "frame_ms": 0.05, "whole": {"median_ms": 1.2, "p10_ms": 1.1, "p90_ms": 1.4, "samples": 20},
 *  "blocks": [[{"median_ms": ..., "p10_ms": ..., "p90_ms": ..., "samples": 20}, ...], ...]}
 * }</pre>
 * {@code blocks[i][j]} is descendant {@code j} of block {@code i}. The store's own JSON helper is private to
 * its package, so this class uses jackson-jr, the same library, directly.
 */
public final class LatencyProfileJson {

    /** The value of {@code "format"}. */
    public static final String FORMAT = "legodnn-latency-profile";
    /** The version this class writes and reads. */
    public static final int VERSION = 1;

    private LatencyProfileJson() {
    }

    /** {@code p} as a pretty-printed JSON object. */
    public static String write(LatencyProfile p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("version", VERSION);
        m.put("backend", p.backend());
        m.put("batch_size", p.batchSize());
        m.put("threads", p.threads());
        m.put("frame_ms", p.frameMs());
        m.put("whole", stats(p.whole()));
        List<Object> blocks = new ArrayList<>();
        for (List<LatencyStats> b : p.blocks()) {
            List<Object> row = new ArrayList<>();
            for (LatencyStats s : b) {
                row.add(stats(s));
            }
            blocks.add(row);
        }
        m.put("blocks", blocks);
        try {
            return JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(m) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException("LatencyProfileJson: " + e.getMessage(), e);
        }
    }

    /**
     * The profile that {@code text} (as {@link #write} makes it) holds.
     *
     * @throws IllegalArgumentException when {@code text} is not such JSON: not JSON at all, another format or
     *                                  version, a missing or mistyped field
     */
    public static LatencyProfile read(String text) {
        Object root;
        try {
            root = JSON.std.anyFrom(text);
        } catch (IOException | RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            int nl = message.indexOf('\n');
            throw new IllegalArgumentException("LatencyProfileJson: not JSON: " + (nl < 0 ? message : message.substring(0, nl)), e);
        }
        Map<?, ?> m = map(root, "the document");
        if (!FORMAT.equals(m.get("format")) || !(m.get("version") instanceof Number v) || v.doubleValue() != VERSION) {
            throw new IllegalArgumentException("LatencyProfileJson: format " + m.get("format") + " version "
                    + m.get("version") + " (expected " + FORMAT + " version " + VERSION + ")");
        }
        List<List<LatencyStats>> blocks = new ArrayList<>();
        for (Object b : list(m.get("blocks"), "blocks")) {
            List<LatencyStats> row = new ArrayList<>();
            for (Object s : list(b, "blocks[" + blocks.size() + "]")) {
                String at = "blocks[" + blocks.size() + "][" + row.size() + "]";
                row.add(stats(map(s, at), at));
            }
            blocks.add(row);
        }
        Object backend = m.get("backend");
        if (!(backend instanceof String)) {
            throw new IllegalArgumentException("LatencyProfileJson: \"backend\" is " + backend + " (expected a string)");
        }
        try {
            return new LatencyProfile(blocks, number(m, "frame_ms").doubleValue(), stats(map(m.get("whole"), "whole"), "whole"),
                    integer(m, "batch_size"), integer(m, "threads"), (String) backend);
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith("LatencyProfileJson: ") ? e
                    : new IllegalArgumentException("LatencyProfileJson: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> stats(LatencyStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("median_ms", s.medianMs());
        m.put("p10_ms", s.p10Ms());
        m.put("p90_ms", s.p90Ms());
        m.put("samples", s.samples());
        return m;
    }

    /** The statistics at {@code at} ({@code blocks[i][j]} or {@code whole}); a range error names it. */
    private static LatencyStats stats(Map<?, ?> m, String at) {
        try {
            return new LatencyStats(number(m, "median_ms").doubleValue(), number(m, "p10_ms").doubleValue(),
                    number(m, "p90_ms").doubleValue(), integer(m, "samples"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("LatencyProfileJson: " + at + ": "
                    + e.getMessage().replaceFirst("^LatencyProfileJson: ", ""), e);
        }
    }

    /** A whole number that fits an int (1.5 or 1e300 is not one). */
    private static int integer(Map<?, ?> m, String key) {
        double d = number(m, key).doubleValue();
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("LatencyProfileJson: \"" + key + "\" is " + m.get(key)
                    + " (expected an integer)");
        }
        return (int) d;
    }

    private static Number number(Map<?, ?> m, String key) {
        if (m.get(key) instanceof Number n) {
            return n;
        }
        throw new IllegalArgumentException("LatencyProfileJson: \"" + key + "\" is " + m.get(key) + " (expected a number)");
    }

    private static Map<?, ?> map(Object o, String what) {
        if (o instanceof Map<?, ?> m) {
            return m;
        }
        throw new IllegalArgumentException("LatencyProfileJson: " + what + " is " + o + " (expected an object)");
    }

    private static List<?> list(Object o, String what) {
        if (o instanceof List<?> l) {
            return l;
        }
        throw new IllegalArgumentException("LatencyProfileJson: " + what + " is " + o + " (expected an array)");
    }
}
