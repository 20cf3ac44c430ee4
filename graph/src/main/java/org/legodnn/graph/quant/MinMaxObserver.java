package org.legodnn.graph.quant;

import java.util.Objects;

/**
 * The simplest calibration, and the reference the others are compared with: the range is the smallest and largest
 * value observed, widened to include 0. One outlier widens it for every other value, which is why {@link
 * PercentileObserver} and {@link EntropyObserver} exist.
 */
public final class MinMaxObserver implements RangeObserver {

    private float min = Float.POSITIVE_INFINITY;
    private float max = Float.NEGATIVE_INFINITY;
    private long count;

    @Override
    public void observe(float[] values, int off, int len) {
        Objects.checkFromIndexSize(off, len, values.length);
        for (int i = off; i < off + len; i++) {
            float x = values[i];
            if (Float.isFinite(x)) {
                min = Math.min(min, x);
                max = Math.max(max, x);
                count++;
            }
        }
    }

    @Override
    public float[] range() {
        if (count == 0) {
            throw new IllegalStateException("MinMaxObserver: no values observed");
        }
        // Written as comparisons so that an observed -0.0 gives lo = 0.0, not -0.0.
        return new float[] {min < 0f ? min : 0f, max > 0f ? max : 0f};
    }
}
