package org.legodnn.core.prune;

/**
 * How a whole-model sparsity is shared among the channel groups of a model, because one fraction can be spent
 * evenly or where the channels matter least (the two choices Torch-Pruning offers as local and global pruning).
 */
public enum PruningAllocation {
    /** Every group loses the same fraction {@code s} of its channels: {@code int(C × s)}, lowest scored first. */
    UNIFORM,
    /**
     * The fraction {@code s} of all prunable channels of the model goes, ranked across groups by their normalized
     * score: each channel's score divided by the mean score of its group. Raw scores cannot be compared across
     * groups (a sum over more coupled layers, or over larger filters, is larger); divided by its group's mean, a
     * score says how a channel compares with the typical channel of its own group (Torch-Pruning's
     * {@code normalizer='mean'}). A group never loses all its channels.
     */
    GLOBAL
}
