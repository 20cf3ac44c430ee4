package org.legodnn.core.offline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.legodnn.core.prune.Precision;

/**
 * {@link Profiles} to and from the block store's {@code profiles.json}, losslessly (doubles as Java prints them).
 * {@code "metric"} names what the accuracies hold; a file without it (written before tasks existed) holds top-1.
 * {@code "precisions"} (written only when there is more than fp32) lists the precisions the rows go through, each
 * row not in fp32 naming its {@code "precision"}; a file without it holds fp32 rows only.
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
        b.append(']');
        if (p.precisions().size() > 1) {
            b.append(",\n  \"precisions\": ").append(labels(p.precisions()));
        }
        b.append(",\n  \"teacher\": {\"accuracy\": ").append(BlockStore.num(p.teacherAccuracy()))
                .append(", \"params\": ").append(p.teacherParams()).append(", \"flops\": ").append(p.teacherFlops())
                .append(", \"size_bytes\": ").append(p.teacherBytes()).append(", \"test_images\": ")
                .append(p.testImages()).append("},\n  \"rows\": [");
        for (int k = 0; k < p.rows().size(); k++) {
            BlockProfile r = p.rows().get(k);
            b.append(k == 0 ? "\n    " : ",\n    ").append("{\"block\": ").append(r.blockIndex())
                    .append(", \"sparsity\": ").append(r.sparsity()).append(", \"accuracy_drop\": ")
                    .append(BlockStore.num(r.accuracyDrop())).append(", \"params\": ").append(r.params())
                    .append(", \"flops\": ").append(r.flops()).append(", \"size_bytes\": ").append(r.sizeBytes())
                    .append(", \"peak_activation_bytes\": ").append(r.peakActivationBytes());
            if (r.precision() != Precision.FP32) {
                b.append(", \"precision\": ").append(Json.quote(r.precision().label()));
            }
            b.append('}');
        }
        b.append("],\n  \"tested\": [");
        int k = 0;
        for (Map.Entry<List<Integer>, Double> e : p.tested().entrySet()) {
            b.append(k++ == 0 ? "\n    " : ",\n    ").append("{\"selection\": ").append(e.getKey())
                    .append(", \"accuracy\": ").append(BlockStore.num(e.getValue())).append('}');
        }
        return b.append("]\n}\n").toString();
    }

    /** {@code ["fp32", "int8"]}. */
    static String labels(List<Precision> precisions) {
        StringBuilder b = new StringBuilder("[");
        for (int k = 0; k < precisions.size(); k++) {
            b.append(k == 0 ? "" : ", ").append(Json.quote(precisions.get(k).label()));
        }
        return b.append(']').toString();
    }

    /**
     * The precisions listed under {@code key} of {@code m}: fp32 alone when absent (a store written before
     * precision was a dimension), else fp32 first and no name twice.
     */
    static List<Precision> precisions(JsonFields f, Map<String, Object> m, String key) {
        if (m.get(key) == null) {
            return List.of(Precision.FP32);
        }
        List<Object> names = f.array(m.get(key), key);
        List<Precision> out = new ArrayList<>();
        for (int k = 0; k < names.size(); k++) {
            out.add(precision(f, names.get(k), key + "[" + k + "]"));
        }
        if (out.isEmpty() || out.get(0) != Precision.FP32 || out.stream().distinct().count() != out.size()) {
            throw f.bad(key, out.stream().map(Precision::label).toList(), "fp32 first, then other precisions, none twice");
        }
        return List.copyOf(out);
    }

    /** A precision's label at {@code at} ({@code fp32} when the value is absent). */
    static Precision precision(JsonFields f, Object v, String at) {
        if (v == null) {
            return Precision.FP32;
        }
        String label = f.string(v, at);
        try {
            return Precision.parse(label);
        } catch (IllegalArgumentException e) {
            throw f.bad(at, label, "fp32 or int8");
        }
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
        List<Precision> precisions = precisions(f, m, "precisions");
        int options = sparsities.length * precisions.size();
        Map<String, Object> t = f.object(m.get("teacher"), "teacher");
        List<BlockProfile> rows = new ArrayList<>();
        List<Object> rowList = f.array(m.get("rows"), "rows");
        if (rowList.size() % options != 0) {
            throw f.bad("rows", "has " + rowList.size() + " entries (expected a multiple of the " + options
                    + " options: " + sparsities.length + " sparsities x " + precisions.size() + " precisions)");
        }
        for (int k = 0; k < rowList.size(); k++) {
            String at = "rows[" + k + "]";
            Map<String, Object> r = f.object(rowList.get(k), at);
            double s = f.number(r.get("sparsity"), at + ".sparsity", 0, 1);
            if (s != sparsities[k % sparsities.length]) {
                throw f.bad(at + ".sparsity", r.get("sparsity"), "sparsities[" + k % sparsities.length + "] = "
                        + sparsities[k % sparsities.length]);
            }
            Precision p = precision(f, r.get("precision"), at + ".precision");
            if (p != precisions.get(k % options / sparsities.length)) {
                throw f.bad(at + ".precision", p.label(), precisions.get(k % options / sparsities.length).label()
                        + " (rows go block by block, every sparsity in fp32, then in each further precision)");
            }
            rows.add(new BlockProfile(f.integer(r.get("block"), at + ".block", 0, Integer.MAX_VALUE), s,
                    accuracy(f, r, "accuracy_drop", at, -1), count(f, r, "params", at), count(f, r, "flops", at),
                    count(f, r, "size_bytes", at), count(f, r, "peak_activation_bytes", at), p));
        }
        Map<List<Integer>, Double> tested = new LinkedHashMap<>();
        List<Object> testedList = f.array(m.get("tested"), "tested");
        for (int k = 0; k < testedList.size(); k++) {
            String at = "tested[" + k + "]";
            Map<String, Object> r = f.object(testedList.get(k), at);
            int[] sel = f.ints(r.get("selection"), at + ".selection", 0, options - 1);
            List<Integer> key = new ArrayList<>();
            for (int v : sel) {
                key.add(v);
            }
            tested.put(List.copyOf(key), accuracy(f, r, "accuracy", at, 0));
        }
        return new Profiles(sparsities, List.copyOf(rows), accuracy(f, t, "accuracy", "teacher", 0),
                count(f, t, "params", "teacher"), count(f, t, "flops", "teacher"), count(f, t, "size_bytes", "teacher"),
                f.integer(t.get("test_images"), "teacher.test_images", 0, Integer.MAX_VALUE), tested, metric, precisions);
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
