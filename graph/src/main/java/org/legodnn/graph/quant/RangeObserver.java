package org.legodnn.graph.quant;

/**
 * Quantizing activations needs a clipping range per tensor that is only known after running the model on
 * representative inputs, so each calibration method is one of these: it is fed every batch a tensor takes during
 * the calibration run and then names the range.
 *
 * <p>NaN and infinite values are ignored: they are neither counted nor allowed to widen the range.
 */
public interface RangeObserver {

    /**
     * Feeds values[off .. off+len) of one tensor seen during a calibration run.
     *
     * @throws IndexOutOfBoundsException if the slice is not inside {@code values}
     */
    void observe(float[] values, int off, int len);

    /**
     * The clipping range [lo, hi] chosen from everything observed so far; lo &lt;= 0 &lt;= hi always (0 must be
     * representable exactly).
     *
     * @return a new two-element array {lo, hi}
     * @throws IllegalStateException ("... no values observed") if nothing was observed
     */
    float[] range();
}
