/**
 * LegoDNN's online stage, the part that runs beside live inference: the block switcher
 * ({@link org.legodnn.core.online.BlockSwitcher}) puts the descendants the optimizer chose into the running
 * model while other threads keep calling it. A {@link org.legodnn.core.online.Composition} is immutable and
 * published with one atomic write, so every inference runs wholly on the old or wholly on the new one.
 * Descendants come from a {@link org.legodnn.core.online.DescendantSource} (already in memory, or read one
 * at a time from a block store), and a {@link org.legodnn.core.online.ResidencyPolicy} decides which stay
 * loaded between switches.
 */
package org.legodnn.core.online;
