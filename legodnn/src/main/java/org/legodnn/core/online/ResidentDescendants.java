package org.legodnn.core.online;

import java.util.List;
import org.legodnn.core.blocks.Block;
import org.legodnn.core.offline.StoreContents;
import org.legodnn.core.prune.Descendant;
import org.legodnn.graph.Graph;

/**
 * Descendants that are all in memory already (just pruned and retrained, or a whole store read with
 * {@link org.legodnn.core.offline.StoredBlocks#contents()}): every load is free, so the switcher only swaps
 * references. The right source when memory is plentiful or the model is small.
 */
public final class ResidentDescendants implements DescendantSource {

    private final Graph model;
    private final List<Block> blocks;
    private final List<List<Descendant>> descendants;

    /**
     * Serves {@code descendants.get(i)} as the choices for {@code blocks.get(i)} of {@code model}.
     *
     * @throws IllegalArgumentException when the lists differ in length or a block has no descendant
     */
    public ResidentDescendants(Graph model, List<Block> blocks, List<List<Descendant>> descendants) {
        if (blocks.size() != descendants.size()) {
            throw new IllegalArgumentException("ResidentDescendants: " + blocks.size() + " blocks but descendants for "
                    + descendants.size());
        }
        for (int i = 0; i < descendants.size(); i++) {
            if (descendants.get(i).isEmpty()) {
                throw new IllegalArgumentException("ResidentDescendants: block " + blocks.get(i).index()
                        + " has no descendant");
            }
        }
        this.model = model;
        this.blocks = List.copyOf(blocks);
        this.descendants = List.copyOf(descendants);
    }

    /** The teacher, blocks and descendants of a store's contents. */
    public static ResidentDescendants of(StoreContents c) {
        return new ResidentDescendants(c.teacher(), c.blocks(), c.descendants());
    }

    @Override
    public Graph model() {
        return model;
    }

    @Override
    public List<Block> blocks() {
        return blocks;
    }

    @Override
    public int descendantCount(int block) {
        return descendants.get(block).size();
    }

    @Override
    public Loaded load(int block, int j) {
        checkIndex("ResidentDescendants", block, j);
        return new Loaded(descendants.get(block).get(j), 0);
    }
}
