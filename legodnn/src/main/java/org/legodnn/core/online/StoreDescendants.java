package org.legodnn.core.online;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.legodnn.core.blocks.Block;
import org.legodnn.core.blocks.BlockExtractor;
import org.legodnn.core.offline.BlockStore;
import org.legodnn.core.offline.StoredBlocks;
import org.legodnn.core.prune.Descendant;
import org.legodnn.core.prune.Descendants;
import org.legodnn.core.prune.PruningCriterion;
import org.legodnn.graph.Graph;
import org.legodnn.tensor.io.Safetensors;

/**
 * Descendants read from a block store one at a time, when the switcher asks for them: on a device that cannot
 * hold every descendant, only the chosen ones (and any preloaded) occupy memory. A load rebuilds the
 * descendant's structure as {@link StoredBlocks#contents()} does (the block re-extracted from the teacher and
 * pruned at its sparsity, which is deterministic), then fills it with the stored weights from its own
 * safetensors file and counts that file's bytes.
 *
 * <p>Files were verified against the index's SHA-256 when the store was opened ({@link BlockStore#read}); a
 * file that no longer fits its descendant fails the load with an {@link IOException}. The teacher graph stays
 * in memory for the frame, with the original blocks' weights in it.
 */
public final class StoreDescendants implements DescendantSource {

    private final StoredBlocks store;
    private final Graph teacher;
    private final List<Block> blocks;
    private final double[] sparsities;
    private final PruningCriterion criterion;
    private final AtomicLong bytesRead = new AtomicLong();

    /** Serves the descendants of an opened store; reads the teacher and re-extracts the blocks now. */
    public StoreDescendants(StoredBlocks store) throws IOException {
        this.store = store;
        this.teacher = store.teacher();
        this.blocks = BlockExtractor.extract(teacher, store.maxRatio());
        this.sparsities = store.sparsities();
        this.criterion = store.criterion();
        try {
            store.descendantFile(blocks.size() - 1, sparsities.length - 1);
        } catch (IllegalArgumentException e) {
            throw new IOException("block store " + store.dir() + ": the teacher yields " + blocks.size()
                    + " blocks with " + sparsities.length + " sparsities, the index disagrees (" + e.getMessage() + ")");
        }
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
        return sparsities.length;
    }

    /** The store the descendants are read from. */
    public StoredBlocks store() {
        return store;
    }

    /** The store's sparsities, in descendant order. */
    public double[] sparsities() {
        return sparsities.clone();
    }

    /** Bytes read by every {@link #load} so far. */
    public long bytesRead() {
        return bytesRead.get();
    }

    @Override
    public Loaded load(int block, int j) throws IOException {
        checkIndex("StoreDescendants", block, j);
        Path file = store.descendantFile(block, j);
        Descendant pruned = Descendants.of(teacher, blocks.get(block), new double[] {sparsities[j]}, criterion).get(0);
        long bytes = Files.size(file);
        try {
            pruned.module().loadStateDict(Safetensors.read(file), true);
        } catch (IllegalArgumentException e) {
            throw new IOException("block store " + store.dir() + ": " + file.getFileName() + " does not fit block "
                    + block + " at sparsity " + sparsities[j] + ": " + e.getMessage());
        }
        pruned.module().eval();
        bytesRead.addAndGet(bytes);
        // one copy of the weights: the graph is the module's (the stored weights), not the re-pruned teacher's
        Descendant d = new Descendant(pruned.blockIndex(), pruned.sparsity(), pruned.module().graph(), pruned.module(),
                pruned.params(), pruned.flops(), pruned.keptChannels());
        return new Loaded(d, bytes);
    }
}
