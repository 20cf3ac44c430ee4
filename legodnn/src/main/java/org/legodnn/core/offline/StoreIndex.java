package org.legodnn.core.offline;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.legodnn.core.prune.Precision;
import org.legodnn.core.prune.PruningCriterion;
import org.legodnn.nn.task.Tasks;

/**
 * Checks every field of a block store's {@code index.json} for its type and range before anything is read
 * through it, so that {@link StoredBlocks} can use the index without a class cast, a null pointer or a truncated
 * number, and a damaged or crafted index fails with one line naming the field
 * ({@code index.json: blocks[1].descendants[2].flops is -5 (expected an integer from 0 to 2^53)}). Where a file
 * lies is checked by {@link StoredBlocks}, which knows the store's directory.
 */
final class StoreIndex {

    /** More blocks or sparsities than this is no index that {@link BlockStore} wrote. */
    static final int MAX_ENTRIES = 100_000;

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Set<String> STAGES = Set.of("extracted", "retrained", "profiled");
    private static final JsonFields F = new JsonFields(BlockStore.INDEX);

    private StoreIndex() {
    }

    /**
     * Checks {@code m}, a parsed index whose format and version are already known to be right.
     *
     * @throws IllegalArgumentException naming {@code index.json}, the field, its value and what was expected
     */
    static void check(Map<String, Object> m) {
        String stage = F.string(m.get("stage"), "stage");
        if (!STAGES.contains(stage)) {
            throw F.bad("stage", stage, "extracted, retrained or profiled");
        }
        F.string(m.get("model"), "model");
        task(m);
        F.string(m.get("dataset"), "dataset");
        double[] sparsities = sparsities(m.get("sparsities"));
        double ratio = F.number(m.get("max_ratio"), "max_ratio", 0, 1);
        if (ratio == 0) {
            throw F.bad("max_ratio", m.get("max_ratio"), "a number above 0 and at most 1");
        }
        String criterion = F.string(m.get("criterion"), "criterion");
        if (Arrays.stream(PruningCriterion.values()).noneMatch(c -> c.name().equals(criterion))) {
            throw F.bad("criterion", criterion, "one of " + Arrays.toString(PruningCriterion.values()));
        }
        if (m.get("normalize") != null) {
            normalize(F.object(m.get("normalize"), "normalize"));
        }
        if (m.get("retrained") != null) {
            F.array(m.get("retrained"), "retrained");
        }
        Map<String, Object> files = F.object(m.get("files"), "files");
        for (Map.Entry<String, Object> e : files.entrySet()) {
            String sum = F.string(e.getValue(), "files[" + Json.quote(e.getKey()) + "]");
            if (!SHA256.matcher(sum).matches()) {
                throw F.bad("files[" + Json.quote(e.getKey()) + "]", sum, "a SHA-256 as 64 lower-case hex digits");
            }
        }
        if (!files.containsKey(BlockStore.TEACHER)) {
            throw F.bad("files", "does not list " + BlockStore.TEACHER + " (expected every file of the store)");
        }
        if (stage.equals("profiled") && !files.containsKey(BlockStore.PROFILES)) {
            throw F.bad("files", "does not list " + BlockStore.PROFILES + " although stage is \"profiled\"");
        }
        List<Object> blocks = F.array(m.get("blocks"), "blocks");
        if (blocks.isEmpty() || blocks.size() > MAX_ENTRIES) {
            throw F.bad("blocks", "has " + blocks.size() + " entries (expected 1 to " + MAX_ENTRIES + ")");
        }
        List<Precision> precisions = ProfilesJson.precisions(F, m, "precisions");
        for (int i = 0; i < blocks.size(); i++) {
            block(F.object(blocks.get(i), "blocks[" + i + "]"), "blocks[" + i + "]", sparsities, precisions, files);
        }
    }

    /**
     * The task and its metric: both absent (a store written before tasks existed: classification, top1), or
     * non-empty names; a built-in task must name its own metric (a store whose profiles hold another metric
     * would be optimized and reported under the wrong name).
     */
    static StoreTask task(Map<String, Object> m) {
        if (!m.containsKey("task") && !m.containsKey("metric")) {
            return StoreTask.CLASSIFICATION;
        }
        String task = F.string(m.get("task"), "task");
        String metric = F.string(m.get("metric"), "metric");
        if (task.isBlank()) {
            throw F.bad("task", task, "a task name such as \"classification\" or \"segmentation\"");
        }
        if (metric.isBlank()) {
            throw F.bad("metric", metric, "a metric name such as \"top1\" or \"mIoU\"");
        }
        if (Tasks.names().contains(task) && !Tasks.named(task).metricName().equals(metric)) {
            throw F.bad("metric", metric, Json.quote(Tasks.named(task).metricName()) + ", the metric of task " + task);
        }
        return new StoreTask(task, metric);
    }

    /** The sparsities: at least one, the first 0, ascending within [0, 1). */
    private static double[] sparsities(Object v) {
        double[] s = F.numbers(v, "sparsities", 0, 1);
        if (s.length == 0 || s.length > MAX_ENTRIES) {
            throw F.bad("sparsities", "has " + s.length + " entries (expected 1 to " + MAX_ENTRIES + ")");
        }
        for (int j = 0; j < s.length; j++) {
            if (s[j] >= 1 || (j == 0 && s[j] != 0) || (j > 0 && s[j] <= s[j - 1])) {
                throw F.bad("sparsities", Arrays.toString(s), "ascending within [0, 1), starting at 0");
            }
        }
        return s;
    }

    private static void normalize(Map<String, Object> n) {
        double[] mean = F.numbers(n.get("mean"), "normalize.mean", -Double.MAX_VALUE, Double.MAX_VALUE);
        double[] std = F.numbers(n.get("std"), "normalize.std", 0, Double.MAX_VALUE);
        if (mean.length == 0 || mean.length != std.length) {
            throw F.bad("normalize", "has " + mean.length + " means and " + std.length
                    + " standard deviations (expected as many, at least 1)");
        }
        for (int c = 0; c < std.length; c++) {
            if (std[c] == 0 || !Float.isFinite((float) mean[c]) || !Float.isFinite((float) std[c]) || (float) std[c] == 0) {
                throw F.bad("normalize.std[" + c + "]", std[c] + " with mean " + mean[c],
                        "a float32 mean and a float32 standard deviation above 0");
            }
        }
    }

    private static void block(Map<String, Object> b, String at, double[] sparsities, List<Precision> precisions,
                              Map<String, Object> files) {
        F.integer(b.get("index"), at + ".index", 0, Integer.MAX_VALUE);
        F.string(b.get("input"), at + ".input");
        F.string(b.get("output"), at + ".output");
        shape(b.get("input_shape"), at + ".input_shape");
        shape(b.get("output_shape"), at + ".output_shape");
        int first = F.integer(b.get("first_node"), at + ".first_node", 0, Integer.MAX_VALUE);
        F.integer(b.get("last_node"), at + ".last_node", first, Integer.MAX_VALUE);
        List<Object> ds = F.array(b.get("descendants"), at + ".descendants");
        int n = sparsities.length;
        if (ds.size() != n * precisions.size()) {
            throw F.bad(at + ".descendants", "has " + ds.size() + " entries (expected one per sparsity and precision: "
                    + n + " x " + precisions.size() + ")");
        }
        for (int j = 0; j < ds.size(); j++) {
            String dat = at + ".descendants[" + j + "]";
            Map<String, Object> d = F.object(ds.get(j), dat);
            double s = F.number(d.get("sparsity"), dat + ".sparsity", 0, 1);
            if (s != sparsities[j % n]) {
                throw F.bad(dat + ".sparsity", d.get("sparsity"), "sparsities[" + j % n + "] = " + sparsities[j % n]);
            }
            Precision p = ProfilesJson.precision(F, d.get("precision"), dat + ".precision");
            if (p != precisions.get(j / n)) {
                throw F.bad(dat + ".precision", p.label(), precisions.get(j / n).label()
                        + " (every sparsity in fp32, then in each further precision of \"precisions\")");
            }
            String file = F.string(d.get("file"), dat + ".file");
            if (!files.containsKey(file)) {
                throw F.bad(dat + ".file", file, "a file that \"files\" lists with its SHA-256");
            }
            F.integer(d.get("params"), dat + ".params", 0, JsonFields.MAX_COUNT);
            F.integer(d.get("flops"), dat + ".flops", 0, JsonFields.MAX_COUNT);
            if (d.get("kept_channels") != null) {
                Map<String, Object> kept = F.object(d.get("kept_channels"), dat + ".kept_channels");
                for (Map.Entry<String, Object> e : kept.entrySet()) {
                    F.ints(e.getValue(), dat + ".kept_channels[" + Json.quote(e.getKey()) + "]", 0, Integer.MAX_VALUE);
                }
            }
        }
    }

    private static void shape(Object v, String at) {
        int[] dims = F.ints(v, at, 1, Integer.MAX_VALUE);
        if (dims.length == 0 || dims.length > 8) {
            throw F.bad(at, Arrays.toString(dims), "a shape of 1 to 8 dimensions");
        }
    }
}
