package org.legodnn.core.offline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.legodnn.core.blocks.Block;
import org.legodnn.core.latency.LatencyProfile;

/**
 * Writes the five profile files of the original PyTorch LegoDNN, column for column and key for key as in
 * {@code testdata/legodnn-resnet18-cifar100/}, so that tools made for the original read our
 * profiles: {@code server-blocks-metrics.csv}, {@code edge-blocks-metrics.csv},
 * {@code server-teacher-model-metrics.yaml}, {@code edge-teacher-model-metrics.yaml} and
 * {@code server-tested-models-metrics.csv}.
 *
 * <p>Conventions carried over: {@code block_index} is the block's position, sizes are bytes of stored float32
 * values (running statistics included), drops are (sparsity-0 value − descendant value), numbers that the
 * original writes as Python floats end in {@code .0}. The edge files carry the latency measured on the
 * profiling device ({@link LatencyProfile}: seconds, batch 1) or, when none was measured, 0 latency and 0
 * {@code inference_time_rel_drop} (the YAML says which in a comment). In {@code server-tested-models-metrics.csv} a model key lists per block
 * {@code int(round(10 × sparsity))}, with {@code -1} for the sparsity-0 descendant — the block the drops are
 * measured against, as {@code -1} (the original block) is in the original. A store's int8 options have no place in
 * the original's files: only the fp32 rows and compositions are written.
 */
public final class OriginalProfileFiles {

    /** The five file names, in the order above. */
    public static final List<String> NAMES = List.of("server-blocks-metrics.csv", "edge-blocks-metrics.csv",
            "server-teacher-model-metrics.yaml", "edge-teacher-model-metrics.yaml", "server-tested-models-metrics.csv");

    static final String BLOCK_HEADER =
            "block_index,block_sparsity,test_accuracy_drop,inference_time_rel_drop,model_size_drop,FLOPs_drop,param_drop";

    private OriginalProfileFiles() {
    }

    /** Writes the five files into {@code dir} (which must exist), the edge files with 0 latency. */
    public static void write(Path dir, List<Block> blocks, Profiles p) throws IOException {
        write(dir, blocks, p, null);
    }

    /**
     * Writes the five files into {@code dir} (which must exist); the edge files carry {@code latency}'s
     * figures (seconds per block and for the whole model, relative drops per descendant) or 0 when it is null.
     */
    public static void write(Path dir, List<Block> blocks, Profiles p, LatencyProfile latency) throws IOException {
        if (latency != null && latency.blockCount() != p.blocks()) {
            throw new IllegalArgumentException("OriginalProfileFiles: latency for " + latency.blockCount()
                    + " blocks, profiles for " + p.blocks());
        }
        int n = p.sparsities().length;
        StringBuilder server = new StringBuilder(BLOCK_HEADER).append('\n');
        StringBuilder edge = new StringBuilder(BLOCK_HEADER).append('\n');
        for (int i = 0; i < p.blocks(); i++) {
            BlockProfile base = p.row(i, 0);
            for (int j = 0; j < n; j++) {
                BlockProfile r = p.row(i, j);
                String s = Double.toString(r.sparsity());
                server.append(i).append(',').append(s).append(',').append(py(r.accuracyDrop())).append(",0.0,")
                        .append(base.sizeBytes() - r.sizeBytes()).append(',').append(py(base.flops() - r.flops()))
                        .append(',').append(py(base.params() - r.params())).append('\n');
                double relDrop = latency == null ? 0 : latency.relativeDrop(i, j);
                edge.append(i).append(',').append(s).append(",0,").append(py(relDrop)).append(",0,0,0\n");
            }
        }
        write(dir.resolve(NAMES.get(0)), server);
        write(dir.resolve(NAMES.get(1)), edge);

        StringBuilder teacher = new StringBuilder("FLOPs: ").append(py(p.teacherFlops())).append("\nblocks_info:\n");
        for (int i = 0; i < p.blocks(); i++) {
            Block b = blocks.get(i);
            BlockProfile r = p.row(i, 0);
            teacher.append("- FLOPs: ").append(py(r.flops())).append('\n')
                    .append("  id: block-").append(i).append('\n')
                    .append("  index: ").append(i).append('\n')
                    .append("  input_size:\n").append(list(b.inputSampleShape()))
                    .append("  output_size:\n").append(list(b.outputSampleShape()))
                    .append("  param: ").append(py(r.params())).append('\n')
                    .append("  size: ").append(r.sizeBytes()).append('\n');
        }
        teacher.append("model_size: ").append(p.teacherBytes()).append('\n')
                .append("param: ").append(py(p.teacherParams())).append('\n')
                .append("test_accuracy: ").append(py(p.teacherAccuracy())).append('\n');
        write(dir.resolve(NAMES.get(2)), teacher);

        StringBuilder edgeTeacher = new StringBuilder(latency == null
                ? "# latency not measured yet (0): written by legodnn profile\n"
                : "# seconds at batch 1, " + latency.backend() + ", " + latency.threads() + " threads: written by legodnn profile\n");
        edgeTeacher.append("blocks_info:\n");
        for (int i = 0; i < p.blocks(); i++) {
            double seconds = latency == null ? 0 : latency.blockMs(i, 0) / 1000;
            edgeTeacher.append("- id: block-").append(i).append("\n  index: ").append(i).append("\n  latency: ")
                    .append(py(seconds)).append('\n');
        }
        edgeTeacher.append("latency: ").append(py(latency == null ? 0 : latency.wholeMs() / 1000)).append('\n');
        write(dir.resolve(NAMES.get(3)), edgeTeacher);

        StringBuilder tested = new StringBuilder("model,test_accuracy\n");
        for (Map.Entry<List<Integer>, Double> e : p.tested().entrySet()) {
            if (e.getKey().stream().anyMatch(j -> j >= n)) {
                continue; // an int8 option: the original's names have no precision
            }
            StringBuilder key = new StringBuilder();
            for (int i = 0; i < e.getKey().size(); i++) {
                int j = e.getKey().get(i);
                key.append(i == 0 ? "" : "-").append(j == 0 ? -1 : (int) Math.round(10 * p.sparsities()[j]));
            }
            tested.append(key).append(',').append(py(e.getValue())).append('\n');
        }
        write(dir.resolve(NAMES.get(4)), tested);
    }

    /** A number as Python's {@code repr(float(x))} writes it for the values here. */
    static String py(double x) {
        if (x == Math.rint(x) && Math.abs(x) < 1e16) {
            return (long) x + ".0";
        }
        return Double.toString(x).replace('E', 'e');
    }

    private static String list(int[] dims) {
        StringBuilder b = new StringBuilder();
        for (int d : dims) {
            b.append("  - ").append(d).append('\n');
        }
        return b.toString();
    }

    private static void write(Path file, CharSequence text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
