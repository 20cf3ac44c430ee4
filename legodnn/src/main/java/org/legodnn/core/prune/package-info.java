/**
 * LegoDNN's descendants: every block of a model pruned into thinner versions of itself by structured filter
 * pruning ({@link org.legodnn.core.prune.Descendants}), each a real smaller graph with a trainable module
 * ({@link org.legodnn.core.prune.Descendant}), and the model composed from the fixed frame and one chosen
 * descendant per block ({@link org.legodnn.core.prune.ComposedModel}).
 */
package org.legodnn.core.prune;
