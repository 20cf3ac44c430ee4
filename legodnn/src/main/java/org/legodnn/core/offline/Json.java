package org.legodnn.core.offline;

import com.fasterxml.jackson.core.JsonProcessingException;
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
     * @throws IllegalArgumentException when {@code text} is not JSON, with one line: the parser's reason and
     *                                  where (line and column)
     */
    static Object parse(String text) {
        try {
            return JSON.std.anyFrom(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new IllegalArgumentException(firstLine(e.getOriginalMessage()) + where, e);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(firstLine(String.valueOf(e.getMessage())), e);
        }
    }

    /** The first line of {@code message}, for one-line errors (the parser's messages run over several). */
    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }

    /** A JSON number as a double. */
    static double number(Object v) {
        return ((Number) v).doubleValue();
    }
}
