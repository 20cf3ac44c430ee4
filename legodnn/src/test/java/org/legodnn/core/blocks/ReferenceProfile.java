package org.legodnn.core.blocks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.legodnn.testing.ReferenceData;

/**
 * The block list of the original LegoDNN's {@code server-teacher-model-metrics.yaml}, read with a few lines of
 * code rather than a YAML library: the file is PyYAML's block style, one key per line, lists as "- item".
 */
final class ReferenceProfile {

    /** One block as the original profiled it: per-sample shapes, params and FLOPs as written. */
    record RefBlock(int index, double flops, double params, int[] inputSize, int[] outputSize) {
    }

    private ReferenceProfile() {
    }

    static Path dir() {
        return ReferenceData.originalLegoDnn();
    }

    /** The entries under {@code blocks_info}, in file order. */
    static List<RefBlock> blocks(Path yaml) throws IOException {
        List<RefBlock> out = new ArrayList<>();
        boolean inBlocks = false;
        Entry e = null;
        String listKey = null;
        for (String line : Files.readAllLines(yaml)) {
            if (line.isBlank()) {
                continue;
            }
            if (!line.startsWith(" ") && !line.startsWith("-")) { // a top-level key
                inBlocks = line.trim().equals("blocks_info:");
                continue;
            }
            if (!inBlocks) {
                continue;
            }
            String body;
            if (line.startsWith("- ")) { // a new list entry, with its first key on the same line
                if (e != null) {
                    out.add(e.done());
                }
                e = new Entry();
                body = line.substring(2).trim();
            } else {
                body = line.trim();
            }
            if (body.startsWith("- ")) {
                e.list(listKey).add(Integer.parseInt(body.substring(2).trim()));
                continue;
            }
            int colon = body.indexOf(':');
            String key = body.substring(0, colon).trim();
            String value = body.substring(colon + 1).trim();
            if (value.isEmpty()) {
                listKey = key;
            } else {
                e.set(key, value);
            }
        }
        if (e != null) {
            out.add(e.done());
        }
        return out;
    }

    /** A block entry being read. */
    private static final class Entry {
        int index = -1;
        double flops = Double.NaN;
        double params = Double.NaN;
        final List<Integer> in = new ArrayList<>();
        final List<Integer> out = new ArrayList<>();

        void set(String key, String value) {
            switch (key) {
                case "index" -> index = Integer.parseInt(value);
                case "FLOPs" -> flops = Double.parseDouble(value);
                case "param" -> params = Double.parseDouble(value);
                default -> { } // id, size: not needed
            }
        }

        List<Integer> list(String key) {
            return switch (key) {
                case "input_size" -> in;
                case "output_size" -> out;
                default -> throw new IllegalStateException("unexpected list " + key);
            };
        }

        RefBlock done() {
            return new RefBlock(index, flops, params, in.stream().mapToInt(Integer::intValue).toArray(),
                    out.stream().mapToInt(Integer::intValue).toArray());
        }
    }
}
