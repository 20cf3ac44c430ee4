package org.legodnn.core.optimize;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The original LegoDNN's profile files turned into the numbers of a {@link ScalingProblem}, so that profiles
 * made by the PyTorch implementation — or written by this project's
 * {@link org.legodnn.core.offline.OriginalProfileFiles} — can be optimized here.
 *
 * <p>The original states its problem as {@code Σ x·ΔT ≥ T_orig − T_max} with
 * {@code ΔT[i,j] = latency[i] · inference_time_rel_drop[i,j]} and {@code Σ x·model_size_drop ≥ M_orig − M_max}.
 * Here that becomes absolute per-option values with the same feasible set: latency
 * {@code l[i][j] = latency[i] · (1 − rel_drop[i][j])} in milliseconds with frame latency
 * {@code T_orig − Σ latency[i]}; memory {@code m[i][j] = size[i] − model_size_drop[i][j]} bytes with frame
 * memory {@code M_orig − Σ size[i]} (or, when the teacher file gives no per-block {@code size},
 * {@code m[i][j] = −model_size_drop[i][j]} with frame {@code M_orig}). Accuracy drops are
 * {@code test_accuracy_drop} of {@code server-blocks-metrics.csv}.
 *
 * <p>Files read: {@code server-blocks-metrics.csv} (accuracy and size drops), {@code edge-blocks-metrics.csv}
 * (latency relative drops, matched by block index and sparsity), {@code server-teacher-model-metrics.yaml}
 * ({@code model_size} = M_orig, per-block {@code size}) and {@code edge-teacher-model-metrics.yaml} (per-block
 * and whole-model {@code latency} in seconds = T_orig). The fifth, {@code server-tested-models-metrics.csv},
 * holds accuracies of tested compositions, which the optimizer does not use. Option j of block i is the j-th
 * row of that block in {@code server-blocks-metrics.csv}.
 *
 * @param sparsity            per block, per option: the descendant's sparsity
 * @param accuracyDrop        per block, per option: accuracy drop (fraction)
 * @param latencyMs           per block, per option: latency in milliseconds
 * @param memoryBytes         per block, per option: memory in bytes
 * @param frameLatencyMs      latency outside the blocks, milliseconds
 * @param frameMemoryBytes    memory outside the blocks, bytes
 * @param originalLatencyMs   the teacher's whole-model latency T_orig, milliseconds
 * @param originalMemoryBytes the teacher's {@code model_size} M_orig, bytes
 * @param teacherAccuracy     the teacher's {@code test_accuracy} (fraction), NaN where the file has none
 */
public record OriginalProfiles(double[][] sparsity, double[][] accuracyDrop, double[][] latencyMs,
                               double[][] memoryBytes, double frameLatencyMs, double frameMemoryBytes,
                               double originalLatencyMs, double originalMemoryBytes, double teacherAccuracy) {

    /** The four files read, as the original names them. */
    public static final List<String> FILES = List.of("server-blocks-metrics.csv", "edge-blocks-metrics.csv",
            "server-teacher-model-metrics.yaml", "edge-teacher-model-metrics.yaml");

    public OriginalProfiles {
        sparsity = ScalingProblem.copy(sparsity);
        accuracyDrop = ScalingProblem.copy(accuracyDrop);
        latencyMs = ScalingProblem.copy(latencyMs);
        memoryBytes = ScalingProblem.copy(memoryBytes);
    }

    /** Reads the profile files in {@code dir}. */
    public static OriginalProfiles read(Path dir) throws IOException {
        Path serverCsv = file(dir, FILES.get(0));
        Path edgeCsv = file(dir, FILES.get(1));
        Path serverYaml = file(dir, FILES.get(2));
        Path edgeYaml = file(dir, FILES.get(3));

        Map<Integer, List<double[]>> server = rows(serverCsv,
                new String[] {"block_index", "block_sparsity", "test_accuracy_drop", "model_size_drop"});
        Map<Integer, List<double[]>> edge = rows(edgeCsv,
                new String[] {"block_index", "block_sparsity", "inference_time_rel_drop"});
        int n = server.size();

        checkRange(server, 1, 0, 1, "block_sparsity", serverCsv);
        checkRange(server, 2, -1, 1, "test_accuracy_drop (a fraction)", serverCsv);
        checkRange(server, 3, -MAX_BYTES, MAX_BYTES, "model_size_drop (bytes)", serverCsv);
        checkRange(edge, 1, 0, 1, "block_sparsity", edgeCsv);
        checkRange(edge, 2, -MAX_REL_SLOWDOWN, 1, "inference_time_rel_drop (a fraction of the block's latency)", edgeCsv);
        Map<String, Object> teacher = yaml(serverYaml);
        double modelSize = number(teacher, "model_size", serverYaml);
        within(modelSize, 0, MAX_BYTES, "model_size (bytes)", serverYaml, -1);
        Map<Integer, Map<?, ?>> teacherBlocks = blocksInfo(teacher, serverYaml, n);
        Map<String, Object> edgeTeacher = yaml(edgeYaml);
        double latencyS = number(edgeTeacher, "latency", edgeYaml);
        within(latencyS, 0, MAX_SECONDS, "latency (seconds)", edgeYaml, -1);
        Map<Integer, Map<?, ?>> edgeBlocks = blocksInfo(edgeTeacher, edgeYaml, n);

        boolean sizes = true;
        for (Map<?, ?> b : teacherBlocks.values()) {
            sizes &= b.get("size") instanceof Number;
        }
        double[][] sparsity = new double[n][];
        double[][] drop = new double[n][];
        double[][] lat = new double[n][];
        double[][] mem = new double[n][];
        double frameLatency = 1000 * latencyS;
        double frameMemory = modelSize;
        for (int i = 0; i < n; i++) {
            List<double[]> rows = server.get(i);
            double blockLatencyMs = 1000 * within(number(edgeBlocks.get(i), "latency", edgeYaml, i), 0, MAX_SECONDS,
                    "latency (seconds)", edgeYaml, i);
            double size = sizes ? within(number(teacherBlocks.get(i), "size", serverYaml, i), 0, MAX_BYTES,
                    "size (bytes)", serverYaml, i) : 0;
            frameLatency -= blockLatencyMs;
            frameMemory -= size;
            int k = rows.size();
            sparsity[i] = new double[k];
            drop[i] = new double[k];
            lat[i] = new double[k];
            mem[i] = new double[k];
            for (int j = 0; j < k; j++) {
                double[] r = rows.get(j);
                sparsity[i][j] = r[1];
                drop[i][j] = r[2];
                mem[i][j] = size - r[3];
                lat[i][j] = blockLatencyMs * (1 - relDrop(edge, i, r[1], edgeCsv));
            }
        }
        double accuracy = teacher.get("test_accuracy") instanceof Number a ? a.doubleValue() : Double.NaN;
        return new OriginalProfiles(sparsity, drop, lat, mem, frameLatency, frameMemory, 1000 * latencyS, modelSize,
                accuracy);
    }

    /** Sizes beyond a petabyte are a corrupt file, not a model (the original's are megabytes). */
    static final double MAX_BYTES = 1e15;
    /** Latencies beyond a day, in seconds, likewise. */
    static final double MAX_SECONDS = 86_400;
    /** A descendant up to 100 times slower than its block (a negative relative drop) is still a measurement. */
    static final double MAX_REL_SLOWDOWN = 100;
    /** A CSV or YAML file larger than this is not one of the original's (theirs are kilobytes). */
    static final long MAX_FILE_BYTES = 64L << 20;
    /** More blocks than any network has; more rows is a corrupt file. */
    static final int MAX_BLOCKS = 10_000;

    /** Fails unless every row's column {@code c} lies in [lo, hi]. */
    private static void checkRange(Map<Integer, List<double[]>> rows, int c, double lo, double hi, String what, Path file) {
        for (Map.Entry<Integer, List<double[]>> e : rows.entrySet()) {
            for (double[] r : e.getValue()) {
                if (r[c] < lo || r[c] > hi) {
                    throw new IllegalArgumentException(file + ": block " + e.getKey() + " has " + what + " " + r[c]
                            + " (expected " + lo + " to " + hi + ")");
                }
            }
        }
    }

    private static double within(double v, double lo, double hi, String what, Path file, int block) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException(file + ": " + what + (block < 0 ? "" : " of block " + block) + " is " + v
                    + " (expected " + lo + " to " + hi + ")");
        }
        return v;
    }

    /** A YAML value for a message: its kind and a bounded rendering (a YAML file may hold cyclic or huge values). */
    private static String describe(Object v) {
        if (v instanceof Map || v instanceof List) {
            return v instanceof Map ? "a mapping" : "a list";
        }
        String text = String.valueOf(v).replaceAll("\\p{Cntrl}", "?");
        return text.length() > 60 ? "'" + text.substring(0, 60) + "...'" : "'" + text + "'";
    }

    /** The number of blocks. */
    public int blocks() {
        return sparsity.length;
    }

    /** The sparsity of option {@code j} of block {@code i}. */
    public double sparsity(int i, int j) {
        return sparsity[i][j];
    }

    /** A builder holding every block and the frame; budgets (and switching) are the caller's. */
    public ScalingProblem.Builder builder() {
        ScalingProblem.Builder b = ScalingProblem.builder().frame(frameLatencyMs, frameMemoryBytes);
        for (int i = 0; i < sparsity.length; i++) {
            b.block(accuracyDrop[i], latencyMs[i], memoryBytes[i]);
        }
        return b;
    }

    /** The problem under a latency budget in milliseconds and a memory budget in bytes. */
    public ScalingProblem problem(double latencyBudgetMs, double memoryBudgetBytes) {
        return builder().budgets(latencyBudgetMs, memoryBudgetBytes).build();
    }

    @Override
    public double[][] sparsity() {
        return ScalingProblem.copy(sparsity);
    }

    @Override
    public double[][] accuracyDrop() {
        return ScalingProblem.copy(accuracyDrop);
    }

    @Override
    public double[][] latencyMs() {
        return ScalingProblem.copy(latencyMs);
    }

    @Override
    public double[][] memoryBytes() {
        return ScalingProblem.copy(memoryBytes);
    }

    private static Path file(Path dir, String name) throws IOException {
        Path f = dir.resolve(name);
        if (!Files.isRegularFile(f)) {
            throw new NoSuchFileException(f.toString(), null,
                    "missing; a directory of the original LegoDNN's profiles holds " + String.join(", ", FILES));
        }
        return f;
    }

    /** Rows of a block-metrics CSV, the named columns as numbers, grouped by block index 0..n−1 in file order. */
    private static Map<Integer, List<double[]>> rows(Path csv, String[] columns) throws IOException {
        checkSize(csv);
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException(csv + ": not UTF-8 text; expected the original LegoDNN's CSV file");
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(csv + ": empty; expected a header naming " + String.join(",", columns));
        }
        String first = lines.get(0).length() > 200 ? lines.get(0).substring(0, 200) + "..." : lines.get(0);
        String[] header = lines.get(0).trim().split(",", -1);
        int[] at = new int[columns.length];
        for (int c = 0; c < columns.length; c++) {
            at[c] = -1;
            for (int h = 0; h < header.length; h++) {
                if (header[h].trim().equals(columns[c])) {
                    at[c] = h;
                }
            }
            if (at[c] < 0) {
                throw new IllegalArgumentException(csv + ": header '" + first.replaceAll("\\p{Cntrl}", "?")
                        + "' lacks column " + columns[c]);
            }
        }
        Map<Integer, List<double[]>> out = new TreeMap<>();
        for (int ln = 1; ln < lines.size(); ln++) {
            String line = lines.get(ln).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (cells.length != header.length) {
                throw new IllegalArgumentException(csv + " line " + (ln + 1) + ": " + cells.length + " cells; expected "
                        + header.length + " as in the header");
            }
            double[] r = new double[columns.length];
            for (int c = 0; c < columns.length; c++) {
                try {
                    r[c] = Double.parseDouble(cells[at[c]].trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(csv + " line " + (ln + 1) + ": " + columns[c] + " "
                            + describe(cells[at[c]]) + " is not a number");
                }
                if (!Double.isFinite(r[c])) {
                    throw new IllegalArgumentException(csv + " line " + (ln + 1) + ": " + columns[c] + " "
                            + describe(cells[at[c]]) + "; expected a finite number");
                }
            }
            if (r[0] != Math.rint(r[0]) || r[0] < 0 || r[0] >= MAX_BLOCKS) {
                throw new IllegalArgumentException(csv + " line " + (ln + 1) + ": block_index '" + cells[at[0]]
                        + "'; expected a block number from 0 to " + (MAX_BLOCKS - 1));
            }
            out.computeIfAbsent((int) r[0], b -> new ArrayList<>()).add(r);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(csv + ": no rows; expected one row per block and sparsity");
        }
        int expect = 0;
        for (int b : out.keySet()) {
            if (b != expect++) {
                throw new IllegalArgumentException(csv + ": block indices " + out.keySet()
                        + "; expected 0.." + (out.size() - 1) + " without gaps");
            }
        }
        return out;
    }

    /** The relative latency drop of block {@code i} at {@code sparsity} in the edge CSV. */
    private static double relDrop(Map<Integer, List<double[]>> edge, int i, double sparsity, Path csv) {
        List<double[]> rows = edge.get(i);
        if (rows != null) {
            for (double[] r : rows) {
                if (r[1] == sparsity) {
                    return r[2];
                }
            }
        }
        throw new IllegalArgumentException(csv + ": no row for block " + i + " at sparsity " + sparsity
                + "; expected one for every row of " + FILES.get(0));
    }

    private static void checkSize(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new IllegalArgumentException(file + ": " + size + " bytes (expected at most " + MAX_FILE_BYTES
                    + "; the original's profile files are kilobytes)");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(Path file) throws IOException {
        checkSize(file);
        Object doc;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        } catch (YAMLException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            throw new IllegalArgumentException(file + ": not valid YAML (" + why.replaceAll("\\p{Cntrl}", "?")
                    + "); expected the original LegoDNN's metrics file");
        }
        if (!(doc instanceof Map)) {
            throw new IllegalArgumentException(file + ": expected a YAML mapping at the top, got "
                    + (doc == null ? "nothing" : describe(doc)));
        }
        return (Map<String, Object>) doc;
    }

    /** The entries of {@code blocks_info} keyed by {@code index}, which must be 0..n−1. */
    private static Map<Integer, Map<?, ?>> blocksInfo(Map<String, Object> doc, Path file, int n) {
        Object list = doc.get("blocks_info");
        if (!(list instanceof List<?> entries)) {
            throw new IllegalArgumentException(file + ": expected a list under blocks_info");
        }
        Map<Integer, Map<?, ?>> out = new HashMap<>();
        for (Object e : entries) {
            if (!(e instanceof Map<?, ?> m) || !(m.get("index") instanceof Number idx)) {
                throw new IllegalArgumentException(file + ": every blocks_info entry needs a numeric index; got "
                        + (e instanceof Map<?, ?> m ? "index " + describe(m.get("index")) : describe(e)));
            }
            double index = idx.doubleValue();
            if (index != Math.rint(index) || index < 0 || index >= MAX_BLOCKS) {
                throw new IllegalArgumentException(file + ": blocks_info index " + describe(idx)
                        + " (expected a block number from 0 to " + (MAX_BLOCKS - 1) + ")");
            }
            if (out.put((int) index, m) != null) {
                throw new IllegalArgumentException(file + ": blocks_info lists index " + (int) index + " twice");
            }
        }
        for (int i = 0; i < n; i++) {
            if (!out.containsKey(i)) {
                throw new IllegalArgumentException(file + ": blocks_info has no block with index " + i + "; expected "
                        + n + " blocks as in " + FILES.get(0));
            }
        }
        return out;
    }

    private static double number(Map<?, ?> map, String key, Path file) {
        Object v = map.get(key);
        if (!(v instanceof Number num) || !Double.isFinite(num.doubleValue())) {
            throw new IllegalArgumentException(file + ": expected a number under " + key + ", got " + describe(v));
        }
        return num.doubleValue();
    }

    private static double number(Map<?, ?> map, String key, Path file, int block) {
        Object v = map.get(key);
        if (!(v instanceof Number num) || !Double.isFinite(num.doubleValue())) {
            throw new IllegalArgumentException(file + ": expected a number under " + key + " of block " + block
                    + ", got " + describe(v));
        }
        return num.doubleValue();
    }
}
