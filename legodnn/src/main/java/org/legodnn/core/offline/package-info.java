/**
 * LegoDNN's offline stage after pruning: retraining descendants on the teacher's features
 * ({@link org.legodnn.core.offline.Retrainer}), profiling them ({@link org.legodnn.core.offline.Profiler}) and
 * writing everything to a versioned, checksummed block store ({@link org.legodnn.core.offline.BlockStore}),
 * including the five profile files of the original implementation ({@link org.legodnn.core.offline.OriginalProfileFiles}).
 */
package org.legodnn.core.offline;
