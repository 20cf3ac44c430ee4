package org.legodnn.core.offline;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.legodnn.core.blocks.Block;
import org.legodnn.core.latency.LatencyProfile;
import org.legodnn.core.latency.LatencyProfileJson;
import org.legodnn.core.blocks.BlockExtractor;
import org.legodnn.core.prune.BlockOptions;
import org.legodnn.core.prune.ComposedModel;
import org.legodnn.core.prune.Descendant;
import org.legodnn.core.prune.Precision;
import org.legodnn.core.prune.PruningCriterion;
import org.legodnn.graph.Graph;
import org.legodnn.graph.module.GraphModule;
import org.legodnn.graph.onnx.OnnxImporter;
import org.legodnn.nn.data.Normalize;

/**
 * A block store read back and verified ({@link BlockStore#read}): every field of the index was checked
 * ({@code StoreIndex}), every file it lists lies inside the store and matched its SHA-256 before anything was
 * used, only listed files are ever loaded, and each is checked again, byte for byte, when it is loaded later. Nothing is
 * recomputed: the teacher graph is imported from {@code teacher.onnx}, the blocks are the node ranges the index
 * records ({@link BlockExtractor#rebuild}, no search), and each descendant is its own ONNX file (graph and
 * retrained weights, no pruning).
 */
public final class StoredBlocks {

    private final Path dir;
    private final Map<String, Object> index;

    private StoredBlocks(Path dir, Map<String, Object> index) {
        this.dir = dir;
        this.index = index;
    }

    /** The largest {@code index.json}, {@code profiles.json} or {@code latency.json} read (64 MiB). */
    static final long MAX_JSON_BYTES = 64L << 20;

    @SuppressWarnings("unchecked")
    static StoredBlocks read(Path dir) throws IOException {
        Path idx = dir.resolve(BlockStore.INDEX);
        if (!Files.isRegularFile(idx)) {
            throw new IOException("block store " + dir + ": no " + BlockStore.INDEX);
        }
        Object parsed = parse(dir, BlockStore.INDEX, readBounded(dir, idx, BlockStore.INDEX));
        if (!(parsed instanceof Map<?, ?> m) || !BlockStore.FORMAT.equals(m.get("format"))) {
            throw new IOException("block store " + dir + ": " + BlockStore.INDEX + " is not a " + BlockStore.FORMAT + " index");
        }
        Object v = m.get("version");
        if (!(v instanceof Number d) || d.doubleValue() != BlockStore.VERSION) {
            throw new IOException("block store " + dir + ": format version " + v + ", this build reads version "
                    + BlockStore.VERSION + " (write it again with legodnn offline)");
        }
        Map<String, Object> index = (Map<String, Object>) m;
        try {
            StoreIndex.check(index);
        } catch (IllegalArgumentException e) {
            throw new IOException("block store " + dir + ": " + e.getMessage());
        }
        Map<String, Object> files = (Map<String, Object>) index.get("files");
        for (Map.Entry<String, Object> e : files.entrySet()) {
            Path f = confined(dir, e.getKey());
            if (!Files.isRegularFile(f)) {
                throw new IOException("block store " + dir + ": file " + e.getKey() + " is missing");
            }
            String sum = BlockStore.sha256(f);
            if (!sum.equals(e.getValue())) {
                throw new IOException("block store " + dir + ": checksum mismatch in " + e.getKey() + " (SHA-256 "
                        + sum + ", index says " + e.getValue() + ")");
            }
        }
        for (String name : new String[] {BlockStore.PROFILES, BlockStore.LATENCY}) {
            if (!files.containsKey(name) && Files.exists(dir.resolve(name))) {
                throw unlisted(dir, name);
            }
        }
        return new StoredBlocks(dir, index);
    }

    /**
     * Where the store-relative {@code name} lies, after checking that it stays inside {@code dir}: a relative path
     * of plain names (no {@code ..}, no absolute path, no backslash) that no symbolic link leads out of.
     *
     * @throws IOException naming the file when it would lie outside the store
     */
    static Path confined(Path dir, String name) throws IOException {
        boolean plain = !name.isEmpty() && !name.startsWith("/") && name.indexOf('\\') < 0 && name.indexOf(':') < 0
                && name.indexOf('\0') < 0;
        if (plain) {
            for (String part : name.split("/", -1)) {
                if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                    plain = false;
                    break;
                }
            }
        }
        Path f = plain ? dir.resolve(name).normalize() : null;
        if (f == null || !f.startsWith(dir) || f.equals(dir)
                || (Files.exists(f) && !f.toRealPath().startsWith(dir.toRealPath()))) {
            throw new IOException("block store " + dir + ": file " + Json.quote(name)
                    + " lies outside the store (expected a relative path inside it); refusing to read it");
        }
        return f;
    }

    private static IOException unlisted(Path dir, String name) {
        return new IOException("block store " + dir + ": " + name + " is not listed in " + BlockStore.INDEX
                + "'s \"files\" (refusing to load a file without a checksum)");
    }

    /** The bytes of {@code file} (named {@code name} in messages), refusing one larger than {@link #MAX_JSON_BYTES}. */
    private static byte[] readBounded(Path dir, Path file, String name) throws IOException {
        long size = Files.size(file);
        if (size > MAX_JSON_BYTES) {
            throw new IOException("block store " + dir + ": " + name + " is " + size + " bytes (expected at most "
                    + MAX_JSON_BYTES + ")");
        }
        return Files.readAllBytes(file);
    }

    /** {@code bytes} as UTF-8 JSON, the errors naming the file. */
    private static Object parse(Path dir, String name, byte[] bytes) throws IOException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("block store " + dir + ": " + name + " is not UTF-8 text");
        }
        try {
            return Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IOException("block store " + dir + ": " + name + " is not valid JSON: " + e.getMessage());
        }
    }

    /**
     * The bytes of the listed file {@code name}, checked against the index's SHA-256 as they are read now: the
     * file may have changed since the store was opened (another process rewrote the store), and what is parsed
     * is exactly what was checked.
     *
     * @throws IOException when the index does not list the file, it lies outside the store, is missing or
     *                     changed
     */
    @SuppressWarnings("unchecked")
    private byte[] verified(String name) throws IOException {
        Object want = ((Map<String, Object>) index.get("files")).get(name);
        if (want == null) {
            throw unlisted(dir, name);
        }
        Path f = confined(dir, name);
        if (!Files.isRegularFile(f)) {
            throw new IOException("block store " + dir + ": file " + name + " is missing (it was there when the store"
                    + " was opened: was the store rewritten since?)");
        }
        long size = Files.size(f);
        if (size > Integer.MAX_VALUE - 8) {
            throw new IOException("block store " + dir + ": " + name + " is " + size + " bytes, too large to load");
        }
        byte[] bytes = Files.readAllBytes(f);
        String sum = BlockStore.sha256(bytes);
        if (!sum.equals(want)) {
            throw new IOException("block store " + dir + ": " + name + " changed since the store was written (SHA-256 "
                    + sum + ", index says " + want + ")");
        }
        return bytes;
    }

    /** Whether the index lists {@code name}. */
    @SuppressWarnings("unchecked")
    private boolean listed(String name) {
        return ((Map<String, Object>) index.get("files")).containsKey(name);
    }

    public Path dir() {
        return dir;
    }

    /** {@code extracted}, {@code retrained} or {@code profiled}. */
    public String stage() {
        return (String) index.get("stage");
    }

    public String model() {
        return (String) index.get("model");
    }

    public String dataset() {
        return (String) index.get("dataset");
    }

    /** The task the store was made for and the metric its profiles hold (classification / top1 for an older store). */
    public StoreTask task() {
        return StoreIndex.task(index);
    }

    public double maxRatio() {
        return Json.number(index.get("max_ratio"));
    }

    public PruningCriterion criterion() {
        return PruningCriterion.valueOf((String) index.get("criterion"));
    }

    public double[] sparsities() {
        return doubles(index.get("sparsities"));
    }

    /** The precisions the descendants are stored in ({@code fp32} alone for a store written without int8). */
    public List<Precision> precisions() {
        return ProfilesJson.precisions(new JsonFields(BlockStore.INDEX), index, "precisions");
    }

    /** Each block's options: every sparsity in every stored precision, in descendant order. */
    public BlockOptions options() {
        return new BlockOptions(sparsities(), precisions());
    }

    /** The normalization recorded at extraction, or null. */
    @SuppressWarnings("unchecked")
    public Normalize normalize() {
        Map<String, Object> n = (Map<String, Object>) index.get("normalize");
        if (n == null) {
            return null;
        }
        double[] mean = doubles(n.get("mean"));
        double[] std = doubles(n.get("std"));
        float[] fm = new float[mean.length];
        float[] fs = new float[std.length];
        for (int i = 0; i < fm.length; i++) {
            fm[i] = (float) mean[i];
            fs[i] = (float) std[i];
        }
        return new Normalize(fm, fs);
    }

    /**
     * The profiles, or null when the store was not profiled; checked against the index (blocks, sparsities) and
     * read from bytes verified now.
     *
     * @throws IOException when the file changed, a field is wrong (type or range) or it does not fit
     *                     the index
     */
    public Profiles profiles() throws IOException {
        if (!listed(BlockStore.PROFILES)) {
            if (Files.exists(dir.resolve(BlockStore.PROFILES))) {
                throw unlisted(dir, BlockStore.PROFILES);
            }
            return null;
        }
        Object json = parse(dir, BlockStore.PROFILES, verified(BlockStore.PROFILES));
        Profiles p;
        try {
            p = ProfilesJson.read(json, BlockStore.PROFILES);
        } catch (IllegalArgumentException e) {
            throw new IOException("block store " + dir + ": " + e.getMessage());
        }
        int blocks = blockCount();
        BlockOptions options = options();
        if (!p.options().equals(options) || p.rows().size() != blocks * options.count()) {
            throw new IOException("block store " + dir + ": " + BlockStore.PROFILES + " has " + p.rows().size()
                    + " rows for " + p.options() + " (expected " + blocks + " blocks x " + options + " as "
                    + BlockStore.INDEX + ")");
        }
        if (!p.metric().equals(task().metric())) {
            throw new IOException("block store " + dir + ": " + BlockStore.PROFILES + " holds metric " + p.metric()
                    + " but " + BlockStore.INDEX + " says the store's metric is " + task().metric());
        }
        for (List<Integer> sel : p.tested().keySet()) {
            if (sel.size() != blocks || sel.stream().anyMatch(j -> j < 0 || j >= options.count())) {
                throw new IOException("block store " + dir + ": " + BlockStore.PROFILES + ": tested selection " + sel
                        + " (expected " + blocks + " option indices from 0 to " + (options.count() - 1) + ")");
            }
        }
        return p;
    }

    /** The latency profile measured when the store was profiled, or null when none was; checked like {@link #profiles}. */
    public LatencyProfile latency() throws IOException {
        if (!listed(BlockStore.LATENCY)) {
            if (Files.exists(dir.resolve(BlockStore.LATENCY))) {
                throw unlisted(dir, BlockStore.LATENCY);
            }
            return null;
        }
        LatencyProfile l;
        try {
            l = LatencyProfileJson.read(new String(verified(BlockStore.LATENCY), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IOException("block store " + dir + ": " + BlockStore.LATENCY + ": " + e.getMessage());
        }
        int n = options().count();
        for (int i = 0; i < l.blockCount(); i++) {
            if (l.descendantCount(i) != n) {
                throw new IOException("block store " + dir + ": " + BlockStore.LATENCY + ": blocks[" + i + "] has "
                        + l.descendantCount(i) + " entries (expected one per option: " + options() + ")");
            }
        }
        if (l.blockCount() != blockCount()) {
            throw new IOException("block store " + dir + ": " + BlockStore.LATENCY + " has " + l.blockCount()
                    + " blocks (expected " + blockCount() + " as " + BlockStore.INDEX + ")");
        }
        return l;
    }

    /** The teacher graph, from bytes verified now. */
    public Graph teacher() throws IOException {
        byte[] bytes = verified(BlockStore.TEACHER);
        try {
            return OnnxImporter.read(bytes, BlockStore.TEACHER);
        } catch (RuntimeException e) {
            throw new IOException("block store " + dir + ": " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private int blockCount() {
        return ((List<Object>) index.get("blocks")).size();
    }

    /**
     * The blocks of {@code teacher} (this store's {@link #teacher()}) at the node ranges the index records, checked
     * against the index's values and shapes; no search.
     *
     * @throws IOException when the index and the teacher disagree
     */
    @SuppressWarnings("unchecked")
    public List<Block> blocks(Graph teacher) throws IOException {
        List<Object> stored = (List<Object>) index.get("blocks");
        int[][] spans = new int[stored.size()][];
        for (int i = 0; i < spans.length; i++) {
            Map<String, Object> s = (Map<String, Object>) stored.get(i);
            spans[i] = new int[] {(int) Json.number(s.get("first_node")), (int) Json.number(s.get("last_node"))};
        }
        List<Block> blocks;
        try {
            blocks = BlockExtractor.rebuild(teacher, spans);
        } catch (IllegalArgumentException e) {
            throw new IOException("block store " + dir + ": " + e.getMessage());
        }
        for (int i = 0; i < blocks.size(); i++) {
            Map<String, Object> s = (Map<String, Object>) stored.get(i);
            Block b = blocks.get(i);
            if (!Arrays.equals(b.inputShape(), ints(s.get("input_shape")))
                    || !Arrays.equals(b.outputShape(), ints(s.get("output_shape")))
                    || !b.inputValue().equals(s.get("input")) || !b.outputValue().equals(s.get("output"))) {
                throw new IOException("block store " + dir + ": block " + i + " of the teacher (" + b.inputValue()
                        + " -> " + b.outputValue() + ") differs from the index (" + s.get("input") + " -> "
                        + s.get("output") + ")");
            }
        }
        return blocks;
    }

    /**
     * Descendant {@code j} (in option order, {@link #options}) of the {@code block}-th block, read from its ONNX file after
     * checking the bytes read against the index's SHA-256 (the file may have changed since the store was opened).
     *
     * @throws IOException when the file changed, is not a model, or does not fit the block
     */
    @SuppressWarnings("unchecked")
    public Descendant descendant(int block, int j) throws IOException {
        descendantFile(block, j); // checks the range
        String name = descendantName(block, j);
        byte[] bytes = verified(name);
        Graph g;
        try {
            g = OnnxImporter.read(bytes, name);
        } catch (RuntimeException e) {
            throw new IOException("block store " + dir + ": " + e.getMessage());
        }
        Map<String, Object> blockEntry = (Map<String, Object>) ((List<Object>) index.get("blocks")).get(block);
        Map<String, Object> entry = (Map<String, Object>) ((List<Object>) blockEntry.get("descendants")).get(j);
        Map<String, int[]> kept = new LinkedHashMap<>();
        Object k = entry.get("kept_channels");
        if (k instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                kept.put((String) e.getKey(), ints(e.getValue()));
            }
        }
        GraphModule module = new GraphModule(g);
        module.eval();
        BlockOptions options = options();
        return new Descendant((int) Json.number(blockEntry.get("index")), options.sparsity(j), module.graph(), module,
                (long) Json.number(entry.get("params")), (long) Json.number(entry.get("flops")), kept,
                options.precision(j));
    }

    /**
     * The whole contents: teacher, blocks, every descendant with its stored weights, profiles; retraining
     * results are not restored (null).
     */
    public StoreContents contents() throws IOException {
        Graph teacher = teacher();
        List<Block> blocks = blocks(teacher);
        double[] sparsities = sparsities();
        int options = options().count();
        List<List<Descendant>> descendants = new ArrayList<>(blocks.size());
        for (int i = 0; i < blocks.size(); i++) {
            List<Descendant> ds = new ArrayList<>(options);
            for (int j = 0; j < options; j++) {
                ds.add(descendant(i, j));
            }
            descendants.add(List.copyOf(ds));
        }
        return new StoreContents(model(), task(), dataset(), teacher, blocks, descendants, sparsities, maxRatio(),
                criterion(), normalize(), null, profiles(), latency());
    }

    /** The composed model of the stored teacher and descendants (every block at sparsity index 0). */
    public ComposedModel composedModel() throws IOException {
        StoreContents c = contents();
        return new ComposedModel(c.teacher(), c.blocks(), c.descendants());
    }

    /**
     * The file that holds the stored weights of descendant {@code j} (in option order) of the
     * {@code block}-th block, as the index lists it: lets the block switcher load one descendant on demand
     * instead of all of them through {@link #contents()}.
     *
     * @throws IllegalArgumentException when {@code block} or {@code j} is out of range
     */
    @SuppressWarnings("unchecked")
    public Path descendantFile(int block, int j) {
        List<Object> stored = (List<Object>) index.get("blocks");
        if (block < 0 || block >= stored.size()) {
            throw new IllegalArgumentException("block store " + dir + ": no block " + block + " (blocks 0.."
                    + (stored.size() - 1) + ")");
        }
        List<Object> ds = (List<Object>) ((Map<String, Object>) stored.get(block)).get("descendants");
        if (j < 0 || j >= ds.size()) {
            throw new IllegalArgumentException("block store " + dir + ": block " + block + " has no descendant " + j
                    + " (descendants 0.." + (ds.size() - 1) + ")");
        }
        try {
            return confined(dir, descendantName(block, j));
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** The store-relative name of descendant {@code j} of the {@code block}-th block, as the index lists it. */
    @SuppressWarnings("unchecked")
    private String descendantName(int block, int j) {
        Map<String, Object> b = (Map<String, Object>) ((List<Object>) index.get("blocks")).get(block);
        return (String) ((Map<String, Object>) ((List<Object>) b.get("descendants")).get(j)).get("file");
    }

    @SuppressWarnings("unchecked")
    private static double[] doubles(Object list) {
        List<Object> l = (List<Object>) list;
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Json.number(l.get(i));
        }
        return out;
    }

    private static int[] ints(Object list) {
        double[] d = doubles(list);
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (int) d[i];
        }
        return out;
    }

    /** Per-file names the index lists, for tools. */
    @SuppressWarnings("unchecked")
    public List<String> files() {
        return new ArrayList<>(((Map<String, Object>) index.get("files")).keySet());
    }
}
