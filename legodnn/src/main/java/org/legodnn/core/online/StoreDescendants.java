package org.legodnn.core.online;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.legodnn.core.blocks.Block;
import org.legodnn.core.offline.BlockStore;
import org.legodnn.core.offline.StoredBlocks;
import org.legodnn.core.prune.BlockOptions;
import org.legodnn.core.prune.Descendant;
import org.legodnn.graph.Graph;

/**
 * Descendants read from a block store one at a time, when the switcher asks for them: on a device that cannot
 * hold every descendant, only the chosen ones (and any preloaded) occupy memory. Nothing is recomputed: the blocks
 * are the node ranges the store records ({@link StoredBlocks#blocks}) and a load reads the descendant's own ONNX
 * file ({@link StoredBlocks#descendant}: graph and stored weights, its bytes checked against the index's SHA-256
 * first) and counts that file's bytes. The teacher graph stays in memory for the frame.
 */
public final class StoreDescendants implements DescendantSource {

    private final StoredBlocks store;
    private final Graph teacher;
    private final List<Block> blocks;
    private final BlockOptions options;
    private final AtomicLong bytesRead = new AtomicLong();

    /** Serves the descendants of an opened store; reads the teacher and its recorded blocks now. */
    public StoreDescendants(StoredBlocks store) throws IOException {
        this.store = store;
        this.teacher = store.teacher();
        this.blocks = store.blocks(teacher);
        this.options = store.options();
    }

    /** Opens and verifies the store at {@code dir} ({@link BlockStore#read}). */
    public static StoreDescendants open(Path dir) throws IOException {
        return new StoreDescendants(BlockStore.read(dir));
    }

    @Override
    public Graph model() {
        return teacher;
    }

    @Override
    public List<Block> blocks() {
        return blocks;
    }

    @Override
    public int descendantCount(int block) {
        return options.count();
    }

    /** The store the descendants are read from. */
    public StoredBlocks store() {
        return store;
    }

    /** The store's sparsities, in descendant order. */
    public double[] sparsities() {
        return options.sparsities();
    }

    /** Each block's options: the sparsities in every precision the store holds. */
    public BlockOptions options() {
        return options;
    }

    /** Bytes read by every {@link #load} so far. */
    public long bytesRead() {
        return bytesRead.get();
    }

    @Override
    public Loaded load(int block, int j) throws IOException {
        checkIndex("StoreDescendants", block, j);
        long bytes = Files.size(store.descendantFile(block, j));
        Descendant d = store.descendant(block, j);
        bytesRead.addAndGet(bytes);
        return new Loaded(d, bytes);
    }
}
