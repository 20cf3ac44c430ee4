package org.legodnn.core.online;

import java.io.IOException;
import java.util.List;
import org.legodnn.core.blocks.Block;
import org.legodnn.core.prune.Descendant;
import org.legodnn.graph.Graph;

/**
 * Where the block switcher gets a descendant that it does not hold: kept apart from the switcher so that the
 * same switching logic runs over descendants already in memory ({@link ResidentDescendants}) and over a block
 * store read one file at a time ({@link StoreDescendants}). Implementations must allow {@link #load} from a
 * thread other than the one that created them; the switcher never calls it from the inference path.
 */
public interface DescendantSource {

    /** The model graph: the frame, with the original blocks in place (their nodes are replaced at run time). */
    Graph model();

    /** The blocks, in order; descendant lists are per position in this list. */
    List<Block> blocks();

    /**
     * How many descendants the {@code block}-th block has (indices {@code 0..count-1}, in option order: every
     * sparsity in fp32, then in each further precision, {@link org.legodnn.core.prune.BlockOptions}).
     */
    int descendantCount(int block);

    /**
     * Descendant {@code j} of the {@code block}-th block, in evaluation mode and ready to run.
     *
     * @throws IOException              when reading it from storage fails
     * @throws IllegalArgumentException when {@code block} or {@code j} is out of range
     */
    Loaded load(int block, int j) throws IOException;

    /**
     * Checks that {@code j} names a descendant of the {@code block}-th block; {@code who} starts the message.
     *
     * @throws IllegalArgumentException naming the block and the valid range
     */
    default void checkIndex(String who, int block, int j) {
        if (block < 0 || block >= blocks().size()) {
            throw new IllegalArgumentException(who + ": no block " + block + " (blocks 0.." + (blocks().size() - 1) + ")");
        }
        int count = descendantCount(block);
        if (j < 0 || j >= count) {
            throw new IllegalArgumentException(who + ": block " + blocks().get(block).index() + " has descendants 0.."
                    + (count - 1) + ", asked for " + j);
        }
    }

    /**
     * Checks that {@code selection} names one existing descendant per block, in block order.
     *
     * @throws IllegalArgumentException naming the length, or the block and the valid range
     */
    default void checkSelection(String who, int[] selection) {
        if (selection.length != blocks().size()) {
            throw new IllegalArgumentException(who + ": selection of " + selection.length + " entries for "
                    + blocks().size() + " blocks");
        }
        for (int i = 0; i < selection.length; i++) {
            checkIndex(who, i, selection[i]);
        }
    }

    /**
     * A descendant handed out by {@link #load} and what it cost.
     *
     * @param descendant the descendant
     * @param bytes      bytes read from storage to produce it; 0 when it was already in memory
     */
    record Loaded(Descendant descendant, long bytes) {
    }
}
