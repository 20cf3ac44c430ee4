package org.legodnn.core.prune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The number format a descendant runs in, LegoDNN's second scaling dimension beside width: an int8 descendant
 * stores a byte per weight instead of four, so a block can shrink without losing channels.
 */
public enum Precision {
    /** Float32 weights and activations, as trained. */
    FP32,
    /**
     * Int8 weights (symmetric, one scale per output channel) and uint8 activations (one scale per tensor), as
     * {@link org.legodnn.graph.quant.StaticQuantizer} writes them: a QDQ graph.
     */
    INT8;

    /** The name in store files and on the command line: {@code fp32}, {@code int8}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The precision labelled {@code label} ({@code fp32} or {@code int8}, any case).
     *
     * @throws IllegalArgumentException naming the label and the known ones
     */
    public static Precision parse(String label) {
        for (Precision p : values()) {
            if (p.label().equalsIgnoreCase(label.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown precision '" + label + "' (expected one of "
                + Arrays.stream(values()).map(Precision::label).toList() + ")");
    }

    /**
     * The precisions of a comma-separated list such as {@code fp32,int8}, in {@link Precision} order; fp32 must be
     * among them (it is what the other precisions are made from and what the original block is).
     *
     * @throws IllegalArgumentException for an unknown or repeated name, or a list without fp32
     */
    public static List<Precision> parseList(String labels) {
        List<Precision> seen = new ArrayList<>();
        for (String l : labels.split(",", -1)) {
            Precision p = parse(l);
            if (seen.contains(p)) {
                throw new IllegalArgumentException("precision " + p.label() + " named twice in '" + labels + "'");
            }
            seen.add(p);
        }
        if (!seen.contains(FP32)) {
            throw new IllegalArgumentException("precisions '" + labels + "' lack fp32 (the descendants every other"
                    + " precision is made from)");
        }
        return Arrays.stream(values()).filter(seen::contains).toList();
    }
}
