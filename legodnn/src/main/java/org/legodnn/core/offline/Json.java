package org.legodnn.core.offline;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;

/**
 * The little JSON the block store needs: {@link #quote} for writing the index by hand (so its layout stays
 * readable and stable), {@link #parse} (jackson-jr, as the safetensors reader) for reading it back.
 */
final class Json {

    private Json() {
    }

    /** {@code text} as a JSON string literal. */
    static String quote(String text) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /**
     * The value {@code text} holds (objects as maps, arrays as lists, numbers as {@link Number}).
     *
     * @throws IllegalArgumentException when {@code text} is not JSON
     */
    static Object parse(String text) {
        try {
            return JSON.std.anyFrom(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("JSON: " + e.getMessage(), e);
        }
    }

    /** A JSON number as a double. */
    static double number(Object v) {
        return ((Number) v).doubleValue();
    }
}
