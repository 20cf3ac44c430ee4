package org.legodnn.nn.models;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a PlainNet structure string, the notation in which GENet's architectures are published, e.g.
 * {@code ConvKX(uuid…|3,32,3,2)BN(uuid…|32)RELU(uuid…|32)SuperResKXKX(uuid…|32,128,3,2,1.0,1)…}: a
 * concatenation of {@code Name(args)} where args are comma-separated numbers, optionally preceded by a block
 * name and {@code |}. Known names are those of {@link PlainNetBlock}. Errors say where in the string the
 * problem is.
 */
public final class PlainNetParser {

    private PlainNetParser() {
    }

    /** The blocks of {@code structure}, in order. */
    public static List<PlainNetBlock> parse(String structure) {
        String s = structure.strip();
        List<PlainNetBlock> blocks = new ArrayList<>();
        int pos = 0;
        while (pos < s.length()) {
            int open = s.indexOf('(', pos);
            if (open < 0) {
                throw error(s, pos, "expected Name(args)");
            }
            int close = s.indexOf(')', open);
            if (close < 0) {
                throw error(s, open, "no closing parenthesis");
            }
            String name = s.substring(pos, open).strip();
            String args = s.substring(open + 1, close);
            int bar = args.indexOf('|');
            if (bar >= 0) {
                args = args.substring(bar + 1);
            }
            blocks.add(block(name, split(args), s, pos));
            pos = close + 1;
        }
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("PlainNet structure: the string is empty");
        }
        return blocks;
    }

    private static PlainNetBlock block(String name, String[] a, String s, int pos) {
        return switch (name) {
            case "ConvKX" -> {
                arity(name, a, 4, s, pos);
                yield new PlainNetBlock.ConvKX(integer(a[0], s, pos), integer(a[1], s, pos), integer(a[2], s, pos),
                        integer(a[3], s, pos));
            }
            case "ConvDW" -> {
                arity(name, a, 3, s, pos);
                yield new PlainNetBlock.ConvDW(integer(a[0], s, pos), integer(a[1], s, pos), integer(a[2], s, pos));
            }
            case "BN" -> {
                arity(name, a, 1, s, pos);
                yield new PlainNetBlock.BN(integer(a[0], s, pos));
            }
            case "RELU" -> {
                arity(name, a, 1, s, pos);
                yield new PlainNetBlock.Relu(integer(a[0], s, pos));
            }
            case "SuperResKXKX", "SuperResK1KXK1", "SuperResK1DWK1" -> {
                arity(name, a, 6, s, pos);
                SuperResBlock.Kind kind = switch (name) {
                    case "SuperResKXKX" -> SuperResBlock.Kind.KXKX;
                    case "SuperResK1KXK1" -> SuperResBlock.Kind.K1KXK1;
                    default -> SuperResBlock.Kind.K1DWK1;
                };
                yield new PlainNetBlock.SuperRes(kind, integer(a[0], s, pos), integer(a[1], s, pos),
                        integer(a[2], s, pos), integer(a[3], s, pos), real(a[4], s, pos), integer(a[5], s, pos));
            }
            case "AdaptiveAvgPool" -> {
                arity(name, a, 2, s, pos);
                yield new PlainNetBlock.AdaptiveAvgPool(integer(a[0], s, pos), integer(a[1], s, pos));
            }
            case "Linear" -> {
                arity(name, a, 3, s, pos);
                yield new PlainNetBlock.Linear(integer(a[0], s, pos), integer(a[1], s, pos), integer(a[2], s, pos) == 1);
            }
            default -> throw error(s, pos, "unknown block '" + name + "' (expected ConvKX, ConvDW, BN, RELU, "
                    + "SuperResKXKX, SuperResK1KXK1, SuperResK1DWK1, AdaptiveAvgPool or Linear)");
        };
    }

    private static String[] split(String args) {
        String[] parts = args.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = parts[i].strip();
        }
        return parts;
    }

    private static void arity(String name, String[] a, int n, String s, int pos) {
        if (a.length != n) {
            throw error(s, pos, name + " takes " + n + " arguments, got " + a.length);
        }
    }

    private static int integer(String v, String s, int pos) {
        try {
            int i = Integer.parseInt(v);
            if (i < 0) {
                throw error(s, pos, "negative size " + v);
            }
            return i;
        } catch (NumberFormatException e) {
            throw error(s, pos, "'" + v + "' is not an integer");
        }
    }

    private static double real(String v, String s, int pos) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw error(s, pos, "'" + v + "' is not a number");
        }
    }

    private static IllegalArgumentException error(String s, int pos, String what) {
        String near = s.substring(pos, Math.min(s.length(), pos + 40));
        return new IllegalArgumentException("PlainNet structure: " + what + " at character " + pos + " ('" + near + "')");
    }
}
