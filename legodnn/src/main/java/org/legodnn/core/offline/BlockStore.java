package org.legodnn.core.offline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.legodnn.core.blocks.Block;
import org.legodnn.core.latency.LatencyProfileJson;
import org.legodnn.core.blocks.BlockExtractor;
import org.legodnn.core.prune.Descendant;
import org.legodnn.core.prune.Precision;
import org.legodnn.graph.Node;
import org.legodnn.graph.onnx.OnnxExporter;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.io.Fsync;
import org.legodnn.tensor.io.Safetensors;
import org.legodnn.tensor.io.WriterTag;

/**
 * LegoDNN's block store: the on-disk result of the offline stage, which the run-time side (optimizer, block
 * switcher) reads instead of redoing extraction, pruning, retraining and profiling. Format version
 * {@value #VERSION}:
 *
 * <pre>
 * DIR/index.json                       format, version, stage, model, task and metric (since issue 18; a store
 *                                      without them is classification / top1), data set, sparsities, max ratio, criterion,
 *                                      normalization, the blocks (node range, values, shapes; per descendant its
 *                                      file, numbers and kept channels), and "files": the SHA-256 of every other file
 * DIR/teacher.onnx                     the teacher graph (frame and original blocks); the blocks are its node ranges
 * DIR/frame.safetensors                the frame's weights (PyTorch names)
 * DIR/blocks/block-I-sS.onnx           descendant of block I at sparsity S (e.g. block-2-s0.40): its graph and
 *                                      (retrained) weights, PyTorch names; loading it needs no pruning
 * DIR/blocks/block-I-sS-int8.onnx      its int8 variant, a QDQ model, when the index lists "precisions"
 *                                      ["fp32", "int8"]: then each block's "descendants" hold every sparsity in
 *                                      fp32, then every sparsity in int8 ("precision": "int8"), the order of
 *                                      {@link org.legodnn.core.prune.BlockOptions}; without "precisions" all are fp32
 * DIR/profiles.json                    the profiles, when profiled (adds peak activation memory to the original's)
 * DIR/latency.json                     per-descendant latency on the profiling device, when measured ({@link LatencyProfileJson})
 * DIR/server-blocks-metrics.csv ...    the original's five profile files ({@link OriginalProfileFiles}), when profiled
 * </pre>
 *
 * <p>Writing never replaces a non-empty directory that is not a block store. Writing is atomic and durable:
 * everything goes into a hidden temporary directory beside {@code DIR} ({@code .DIR.tmp-TAG}, the tag naming the
 * writing process: {@link WriterTag}), index last; every file and directory in it is forced to the disk; then the
 * old store is renamed aside ({@code .DIR.old-TAG}), the new one renamed into place, the parent directory forced
 * and the old one deleted. A crash while writing leaves the previous store untouched and its temporary directory
 * behind, which the next writer removes (see {@code removeLitter}). A crash between the two renames leaves no
 * {@code DIR} but the previous store under {@code .DIR.old-TAG}: {@link #read} says so instead of using it.
 *
 * <p>Reading trusts nothing in the directory: {@link StoredBlocks} checks every field of the index (types and
 * ranges, {@code StoreIndex}), loads only files the index lists with a SHA-256, each confined to the store, and
 * checks a file's bytes again whenever it loads it later.
 */
public final class BlockStore {

    /** The {@code format} field of every index. */
    public static final String FORMAT = "legodnn-block-store";
    /** The format version this code writes and reads. */
    public static final int VERSION = 2;
    static final String INDEX = "index.json";
    static final String TEACHER = "teacher.onnx";
    static final String FRAME = "frame.safetensors";
    static final String PROFILES = "profiles.json";
    static final String LATENCY = "latency.json";
    /** What follows {@code .DIR} in the name of a writer's temporary directory, before its {@link WriterTag}. */
    static final String TMP = ".tmp-";
    /** What follows {@code .DIR} in the name of the previous store while a writer replaces it. */
    static final String OLD = ".old-";

    private BlockStore() {
    }

    /** Writes {@code c} as the store at {@code dir}, replacing any store there atomically. */
    public static void write(Path dir, StoreContents c) throws IOException {
        write(dir, c, Integer.MAX_VALUE);
    }

    /** {@link #write}, failing as a crash would after {@code crashAfterFiles} files (for tests). */
    static void write(Path dir, StoreContents c, int crashAfterFiles) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        Files.createDirectories(parent);
        refuseToReplaceOther(target);
        String name = target.getFileName().toString();
        removeLitter(parent, name);
        Path tmp = parent.resolve("." + name + TMP + WriterTag.fresh());
        boolean done = false;
        try {
            writeInto(tmp, c, crashAfterFiles);
            Fsync.tree(tmp);
            if (Files.exists(target)) {
                Path old = parent.resolve("." + name + OLD + WriterTag.fresh());
                move(target, old);
                move(tmp, target);
                Fsync.directory(parent);
                deleteTree(old);
            } else {
                move(tmp, target);
            }
            Fsync.directory(parent);
            done = true;
        } finally {
            if (!done) {
                deleteTree(tmp);
            }
        }
    }

    /**
     * Deletes what killed writers of the store {@code name} left in {@code parent}: their temporary directories
     * ({@code .NAME.tmp-TAG}) and the previous stores they had set aside ({@code .NAME.old-TAG}), but not those of
     * a writer that is still running ({@link WriterTag#abandoned}). Names of the first format version (a bare
     * number after the dash) count as abandoned.
     */
    static void removeLitter(Path parent, String name) throws IOException {
        for (Path p : litter(parent, name)) {
            String f = p.getFileName().toString();
            String tag = f.substring(1 + name.length() + TMP.length()); // OLD is as long
            if (tag.matches("\\d+") || WriterTag.abandoned(tag, p)) {
                deleteTree(p);
            }
        }
    }

    /** The temporary and set-aside directories of writers of the store {@code name} in {@code parent}. */
    static List<Path> litter(Path parent, String name) throws IOException {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(parent)) {
            return found;
        }
        String tmp = "." + name + TMP;
        String old = "." + name + OLD;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(parent, p -> {
            String f = p.getFileName().toString();
            String tag = f.startsWith(tmp) ? f.substring(tmp.length()) : f.startsWith(old) ? f.substring(old.length()) : null;
            return tag != null && (tag.matches("\\d+") || WriterTag.PATTERN.matcher(tag).matches());
        })) {
            for (Path p : s) {
                found.add(p);
            }
        }
        found.sort(Comparator.naturalOrder());
        return found;
    }

    /** Replacing deletes the old directory: never do that to a directory that is not a block store. */
    private static void refuseToReplaceOther(Path target) throws IOException {
        if (!Files.exists(target)) {
            return;
        }
        boolean empty;
        if (Files.isDirectory(target)) {
            try (Stream<Path> s = Files.list(target)) {
                empty = s.findAny().isEmpty();
            }
        } else {
            empty = false;
        }
        Path index = target.resolve(INDEX);
        boolean store = Files.isRegularFile(index) && Files.size(index) <= StoredBlocks.MAX_JSON_BYTES
                && new String(Files.readAllBytes(index), StandardCharsets.UTF_8).contains("\"" + FORMAT + "\"");
        if (!empty && !store) {
            throw new IOException("refusing to replace " + target + ": it exists and is not a block store (no "
                    + INDEX + " of format " + FORMAT + "); choose a new or empty directory");
        }
    }

    /**
     * Reads and verifies the store at {@code dir}. When {@code dir} is missing but a write that was interrupted
     * between its two renames left the previous store beside it ({@code .DIR.old-TAG}), that copy is not used in
     * its place: the message names it, and renaming it back is left to the user (it may be stale, e.g. when the
     * store was deleted on purpose).
     */
    public static StoredBlocks read(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        if (!Files.exists(abs)) {
            Path parent = abs.getParent();
            String name = abs.getFileName() == null ? "" : abs.getFileName().toString();
            if (parent != null) {
                for (Path p : litter(parent, name)) {
                    if (p.getFileName().toString().startsWith("." + name + OLD) && Files.isRegularFile(p.resolve(INDEX))) {
                        throw new IOException("block store " + abs + " is missing; an interrupted write left the"
                                + " previous store at " + p + " (not used automatically: rename it to " + name
                                + " to use it, or delete it)");
                    }
                }
            }
            throw new IOException("block store " + abs + ": no such directory (a block store is a directory with an "
                    + INDEX + ", written by legodnn offline or extract)");
        }
        return StoredBlocks.read(abs);
    }

    private static void writeInto(Path tmp, StoreContents c, int crashAfterFiles) throws IOException {
        Files.createDirectories(tmp.resolve("blocks"));
        Map<String, String> files = new LinkedHashMap<>();
        int[] written = {0};
        Runnable tick = () -> {
            if (++written[0] > crashAfterFiles) {
                throw new IllegalStateException("simulated crash after " + crashAfterFiles + " files");
            }
        };
        OnnxExporter.write(c.teacher(), tmp.resolve(TEACHER));
        files.put(TEACHER, sha256(tmp.resolve(TEACHER)));
        tick.run();
        Map<String, Tensor> frame = new LinkedHashMap<>();
        for (Node n : BlockExtractor.frame(c.teacher(), c.blocks())) {
            for (String in : n.inputs()) {
                if (c.teacher().isInitializer(in)) {
                    frame.put(in, c.teacher().initializer(in));
                }
            }
        }
        Safetensors.write(tmp.resolve(FRAME), frame, Map.of("legodnn", "frame"));
        files.put(FRAME, sha256(tmp.resolve(FRAME)));
        tick.run();
        StringBuilder blocks = new StringBuilder();
        for (int i = 0; i < c.blocks().size(); i++) {
            Block b = c.blocks().get(i);
            blocks.append(i == 0 ? "\n    " : ",\n    ").append("{\"index\": ").append(b.index())
                    .append(", \"input\": ").append(Json.quote(b.inputValue()))
                    .append(", \"input_shape\": ").append(ints(b.inputShape()))
                    .append(", \"output\": ").append(Json.quote(b.outputValue()))
                    .append(", \"output_shape\": ").append(ints(b.outputShape()))
                    .append(", \"first_node\": ").append(b.firstNode()).append(", \"last_node\": ").append(b.lastNode())
                    .append(", \"descendants\": [");
            List<Descendant> ds = c.descendants().get(i);
            for (int j = 0; j < ds.size(); j++) {
                Descendant d = ds.get(j);
                String file = "blocks/" + descendantFile(b.index(), d.sparsity(), d.precision());
                OnnxExporter.write(d.module().graph(), tmp.resolve(file));
                files.put(file, sha256(tmp.resolve(file)));
                tick.run();
                blocks.append(j == 0 ? "\n      " : ",\n      ").append("{\"sparsity\": ").append(d.sparsity())
                        .append(", \"file\": ").append(Json.quote(file)).append(", \"params\": ").append(d.params())
                        .append(", \"flops\": ").append(d.flops());
                if (d.precision() != Precision.FP32) {
                    blocks.append(", \"precision\": ").append(Json.quote(d.precision().label()));
                }
                blocks.append(", \"kept_channels\": {");
                int k = 0;
                for (Map.Entry<String, int[]> e : d.keptChannels().entrySet()) {
                    blocks.append(k++ == 0 ? "" : ", ").append(Json.quote(e.getKey())).append(": ").append(ints(e.getValue()));
                }
                blocks.append("}}");
            }
            blocks.append("]}");
        }
        if (c.profiles() != null) {
            Files.writeString(tmp.resolve(PROFILES), ProfilesJson.write(c.profiles()), StandardCharsets.UTF_8);
            files.put(PROFILES, sha256(tmp.resolve(PROFILES)));
            tick.run();
            OriginalProfileFiles.write(tmp, c.blocks(), c.profiles(), c.latency());
            for (String f : OriginalProfileFiles.NAMES) {
                files.put(f, sha256(tmp.resolve(f)));
                tick.run();
            }
        }
        if (c.latency() != null) {
            Files.writeString(tmp.resolve(LATENCY), LatencyProfileJson.write(c.latency()), StandardCharsets.UTF_8);
            files.put(LATENCY, sha256(tmp.resolve(LATENCY)));
            tick.run();
        }
        StringBuilder idx = new StringBuilder("{\n");
        idx.append("  \"format\": ").append(Json.quote(FORMAT)).append(",\n  \"version\": ").append(VERSION)
                .append(",\n  \"stage\": ").append(Json.quote(c.stage()))
                .append(",\n  \"model\": ").append(Json.quote(c.model()))
                .append(",\n  \"task\": ").append(Json.quote(c.task().task()))
                .append(",\n  \"metric\": ").append(Json.quote(c.task().metric()))
                .append(",\n  \"dataset\": ").append(Json.quote(c.dataset()))
                .append(",\n  \"sparsities\": ").append(doubles(c.sparsities()));
        if (c.options().mixed()) {
            idx.append(",\n  \"precisions\": ").append(ProfilesJson.labels(c.options().precisions()));
        }
        idx.append(",\n  \"max_ratio\": ").append(c.maxRatio())
                .append(",\n  \"criterion\": ").append(Json.quote(c.criterion().name()));
        if (c.normalize() != null) {
            idx.append(",\n  \"normalize\": {\"mean\": ").append(floats(c.normalize().mean())).append(", \"std\": ")
                    .append(floats(c.normalize().std())).append('}');
        }
        if (c.retrained() != null) {
            idx.append(",\n  \"retrained\": [");
            for (int k = 0; k < c.retrained().size(); k++) {
                RetrainResult r = c.retrained().get(k);
                idx.append(k == 0 ? "\n    " : ",\n    ").append(String.format(Locale.ROOT,
                        "{\"block\": %d, \"sparsity\": %s, \"mse_before\": %s, \"mse_best\": %s, \"best_epoch\": %d}",
                        r.blockIndex(), r.sparsity(), num(r.mseBefore()), num(r.mseBest()), r.bestEpoch()));
            }
            idx.append("]");
        }
        if (c.profiles() != null && c.latency() == null) {
            idx.append(",\n  \"notes\": ").append(Json.quote("latency not measured yet: the edge-* files carry 0"));
        }
        idx.append(",\n  \"blocks\": [").append(blocks).append("],\n  \"files\": {");
        int k = 0;
        for (Map.Entry<String, String> e : files.entrySet()) {
            idx.append(k++ == 0 ? "\n    " : ",\n    ").append(Json.quote(e.getKey())).append(": ")
                    .append(Json.quote(e.getValue()));
        }
        idx.append("\n  }\n}\n");
        Files.writeString(tmp.resolve(INDEX), idx, StandardCharsets.UTF_8);
    }

    /** The store-relative name of the file of block {@code index}'s fp32 descendant at {@code sparsity}. */
    static String descendantFile(int index, double sparsity) {
        return descendantFile(index, sparsity, Precision.FP32);
    }

    /**
     * The store-relative name of the file of block {@code index}'s descendant at {@code sparsity} in
     * {@code precision}: {@code block-2-s0.40.onnx} in fp32, {@code block-2-s0.40-int8.onnx} in int8.
     */
    static String descendantFile(int index, double sparsity, Precision precision) {
        return String.format(Locale.ROOT, "block-%d-s%.2f%s.onnx", index, sparsity,
                precision == Precision.FP32 ? "" : "-" + precision.label());
    }

    /** The SHA-256 of {@code bytes}, lower-case hex. */
    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256Digest().digest(bytes));
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The SHA-256 of a file, lower-case hex. */
    static String sha256(Path file) throws IOException {
        MessageDigest md = sha256Digest();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int r; (r = in.read(buf)) > 0; ) {
                md.update(buf, 0, r);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    private static String ints(int[] a) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) {
            b.append(i == 0 ? "" : ", ").append(a[i]);
        }
        return b.append(']').toString();
    }

    private static String doubles(double[] a) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) {
            b.append(i == 0 ? "" : ", ").append(a[i]);
        }
        return b.append(']').toString();
    }

    private static String floats(float[] a) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) {
            b.append(i == 0 ? "" : ", ").append(a[i]);
        }
        return b.append(']').toString();
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(all::add);
        }
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }
}
