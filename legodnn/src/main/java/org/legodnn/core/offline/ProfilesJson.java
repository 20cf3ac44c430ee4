package org.legodnn.core.offline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Profiles} to and from the block store's {@code profiles.json}, losslessly (doubles as Java prints them).
 * {@code "metric"} names what the accuracies hold; a file without it (written before tasks existed) holds top-1.
 */
final class ProfilesJson {

    private ProfilesJson() {
    }

    static String write(Profiles p) {
        StringBuilder b = new StringBuilder("{\n  \"metric\": ").append(Json.quote(p.metric()))
                .append(",\n  \"sparsities\": [");
        for (int j = 0; j < p.sparsities().length; j++) {
            b.append(j == 0 ? "" : ", ").append(p.sparsities()[j]);
        }
        b.append("],\n  \"teacher\": {\"accuracy\": ").append(BlockStore.num(p.teacherAccuracy()))
                .append(", \"params\": ").append(p.teacherParams()).append(", \"flops\": ").append(p.teacherFlops())
                .append(", \"size_bytes\": ").append(p.teacherBytes()).append(", \"test_images\": ")
                .append(p.testImages()).append("},\n  \"rows\": [");
        for (int k = 0; k < p.rows().size(); k++) {
            BlockProfile r = p.rows().get(k);
            b.append(k == 0 ? "\n    " : ",\n    ").append("{\"block\": ").append(r.blockIndex())
                    .append(", \"sparsity\": ").append(r.sparsity()).append(", \"accuracy_drop\": ")
                    .append(BlockStore.num(r.accuracyDrop())).append(", \"params\": ").append(r.params())
                    .append(", \"flops\": ").append(r.flops()).append(", \"size_bytes\": ").append(r.sizeBytes())
                    .append(", \"peak_activation_bytes\": ").append(r.peakActivationBytes()).append('}');
        }
        b.append("],\n  \"tested\": [");
        int k = 0;
        for (Map.Entry<List<Integer>, Double> e : p.tested().entrySet()) {
            b.append(k++ == 0 ? "\n    " : ",\n    ").append("{\"selection\": ").append(e.getKey())
                    .append(", \"accuracy\": ").append(BlockStore.num(e.getValue())).append('}');
        }
        return b.append("]\n}\n").toString();
    }

    /**
     * The profiles that the parsed {@code json} (of the file named {@code file}) holds, every field checked:
     * accuracies in [0, 1], drops in [-1, 1], counts and sizes integers from 0 to 2^53.
     *
     * @throws IllegalArgumentException naming the file, the field, its value and what was expected
     */
    static Profiles read(Object json, String file) {
        JsonFields f = new JsonFields(file);
        Map<String, Object> m = f.object(json, "the document");
        String metric = !m.containsKey("metric") ? StoreTask.CLASSIFICATION.metric() : f.string(m.get("metric"), "metric");
        if (metric.isBlank()) {
            throw f.bad("metric", metric, "the name of the metric the accuracies hold, e.g. \"top1\"");
        }
        double[] sparsities = f.numbers(m.get("sparsities"), "sparsities", 0, 1);
        if (sparsities.length == 0) {
            throw f.bad("sparsities", "is empty (expected one per descendant)");
        }
        Map<String, Object> t = f.object(m.get("teacher"), "teacher");
        List<BlockProfile> rows = new ArrayList<>();
        List<Object> rowList = f.array(m.get("rows"), "rows");
        if (rowList.size() % sparsities.length != 0) {
            throw f.bad("rows", "has " + rowList.size() + " entries (expected a multiple of the " + sparsities.length
                    + " sparsities)");
        }
        for (int k = 0; k < rowList.size(); k++) {
            String at = "rows[" + k + "]";
            Map<String, Object> r = f.object(rowList.get(k), at);
            double s = f.number(r.get("sparsity"), at + ".sparsity", 0, 1);
            if (s != sparsities[k % sparsities.length]) {
                throw f.bad(at + ".sparsity", r.get("sparsity"), "sparsities[" + k % sparsities.length + "] = "
                        + sparsities[k % sparsities.length]);
            }
            rows.add(new BlockProfile(f.integer(r.get("block"), at + ".block", 0, Integer.MAX_VALUE), s,
                    accuracy(f, r, "accuracy_drop", at, -1), count(f, r, "params", at), count(f, r, "flops", at),
                    count(f, r, "size_bytes", at), count(f, r, "peak_activation_bytes", at)));
        }
        Map<List<Integer>, Double> tested = new LinkedHashMap<>();
        List<Object> testedList = f.array(m.get("tested"), "tested");
        for (int k = 0; k < testedList.size(); k++) {
            String at = "tested[" + k + "]";
            Map<String, Object> r = f.object(testedList.get(k), at);
            int[] sel = f.ints(r.get("selection"), at + ".selection", 0, sparsities.length - 1);
            List<Integer> key = new ArrayList<>();
            for (int v : sel) {
                key.add(v);
            }
            tested.put(List.copyOf(key), accuracy(f, r, "accuracy", at, 0));
        }
        return new Profiles(sparsities, List.copyOf(rows), accuracy(f, t, "accuracy", "teacher", 0),
                count(f, t, "params", "teacher"), count(f, t, "flops", "teacher"), count(f, t, "size_bytes", "teacher"),
                f.integer(t.get("test_images"), "teacher.test_images", 0, Integer.MAX_VALUE), tested, metric);
    }

    /**
     * An accuracy (a fraction) or accuracy drop in [{@code min}, 1]. A {@code null} (how {@link BlockStore#num}
     * writes NaN) is refused too: the optimizer cannot rank a descendant whose accuracy is unknown.
     */
    private static double accuracy(JsonFields f, Map<String, Object> m, String key, String at, double min) {
        Object v = m.get(key);
        if (v == null && m.containsKey(key)) {
            throw f.bad(at + "." + key, "is null, a NaN when it was written (expected a number from " + min + " to 1.0)");
        }
        return f.number(v, at + "." + key, min, 1);
    }

    private static long count(JsonFields f, Map<String, Object> m, String key, String at) {
        return f.integer(m.get(key), at + "." + key, 0, JsonFields.MAX_COUNT);
    }
}
