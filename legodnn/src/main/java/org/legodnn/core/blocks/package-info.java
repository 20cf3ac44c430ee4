/**
 * LegoDNN's first offline step: cutting a model graph into blocks ({@link org.legodnn.core.blocks.BlockExtractor})
 * that can be pruned, retrained and swapped one by one, and lifting a block out as a graph of its own
 * ({@link org.legodnn.core.blocks.BlockGraph}); what lies outside the blocks is the fixed frame.
 */
package org.legodnn.core.blocks;
