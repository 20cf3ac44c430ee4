/**
 * What LegoDNN's run-time optimizer needs to know about time: the measured latency of every block
 * descendant and of the frame around them ({@link org.legodnn.core.latency.LatencyProfiler} makes a
 * {@link org.legodnn.core.latency.LatencyProfile}), an estimate of any composition from those figures, and
 * the original's online recalibration ({@link org.legodnn.core.latency.Recalibration}), which rescales the
 * offline figures when the live model turns out faster or slower than the profile (another load on the
 * device, another clock, another thread count).
 */
package org.legodnn.core.latency;
