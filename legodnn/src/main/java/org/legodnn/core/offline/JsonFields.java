package org.legodnn.core.offline;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of parsed JSON that fail with one line naming the file, the field and what was expected
 * ({@code profiles.json: rows[3].size_bytes is 1.0E300 (expected an integer from 0 to 2^53)}), instead of a class
 * cast, a null pointer or a number silently truncated: what the block store's readers use on files that may
 * have been edited, damaged or crafted.
 */
final class JsonFields {

    /** The largest count or size accepted: every integer up to it is exact in a double. */
    static final long MAX_COUNT = 1L << 53;

    private final String file;

    /** Reads fields of {@code file} (its name starts every message). */
    JsonFields(String file) {
        this.file = file;
    }

    /** The error for {@code value} at {@code path}, which should have been {@code expected}. */
    IllegalArgumentException bad(String path, Object value, String expected) {
        return new IllegalArgumentException(file + ": " + path + " is " + show(value) + " (expected " + expected + ")");
    }

    /** The error for {@code path} with a free-form {@code reason}. */
    IllegalArgumentException bad(String path, String reason) {
        return new IllegalArgumentException(file + ": " + path + " " + reason);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> object(Object v, String path) {
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw bad(path, v, "an object");
    }

    @SuppressWarnings("unchecked")
    List<Object> array(Object v, String path) {
        if (v instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw bad(path, v, "an array");
    }

    String string(Object v, String path) {
        if (v instanceof String s) {
            return s;
        }
        throw bad(path, v, "a string");
    }

    /** A finite number within {@code [min, max]}. */
    double number(Object v, String path, double min, double max) {
        String expected = "a number from " + min + " to " + max;
        if (!(v instanceof Number n)) {
            throw bad(path, v, expected);
        }
        double d = n.doubleValue();
        if (!Double.isFinite(d) || d < min || d > max) {
            throw bad(path, v, expected);
        }
        return d;
    }

    /** An integer (no fraction) within {@code [min, max]}. */
    long integer(Object v, String path, long min, long max) {
        String expected = "an integer from " + min + " to " + (max == MAX_COUNT ? "2^53" : Long.toString(max));
        long value;
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            value = ((Number) v).longValue();
        } else if (v instanceof BigInteger b && b.bitLength() < 63) {
            value = b.longValue();
        } else if (v instanceof BigDecimal b) {
            try {
                value = b.longValueExact();
            } catch (ArithmeticException e) {
                throw bad(path, v, expected);
            }
        } else if (v instanceof Number n && Double.isFinite(n.doubleValue()) && n.doubleValue() == Math.rint(n.doubleValue())
                && Math.abs(n.doubleValue()) < 0x1p62) {
            value = (long) n.doubleValue();
        } else {
            throw bad(path, v, expected);
        }
        if (value < min || value > max) {
            throw bad(path, v, expected);
        }
        return value;
    }

    int integer(Object v, String path, int min, int max) {
        return (int) integer(v, path, (long) min, (long) max);
    }

    /** An array of integers, each within {@code [min, max]}. */
    int[] ints(Object v, String path, int min, int max) {
        List<Object> l = array(v, path);
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = integer(l.get(i), path + "[" + i + "]", min, max);
        }
        return out;
    }

    /** An array of finite numbers, each within {@code [min, max]}. */
    double[] numbers(Object v, String path, double min, double max) {
        List<Object> l = array(v, path);
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(l.get(i), path + "[" + i + "]", min, max);
        }
        return out;
    }

    /** A short, one-line rendering of a JSON value for messages. */
    static String show(Object v) {
        if (v == null) {
            return "missing";
        }
        if (v instanceof Map<?, ?>) {
            return "an object";
        }
        if (v instanceof List<?>) {
            return "an array";
        }
        if (v instanceof String s) {
            String t = s.length() > 40 ? s.substring(0, 40) + "..." : s;
            return Json.quote(t);
        }
        if (v instanceof Boolean) {
            return v.toString();
        }
        String t = v.toString();
        return t.length() > 40 ? t.substring(0, 40) + "..." : t;
    }
}
