package org.legodnn.graph.quant;

import java.util.Locale;

/**
 * Names the calibration methods, so that a command-line option or a config entry can choose one and get a fresh
 * {@link RangeObserver} per tensor from it.
 */
public enum Calibration {

    /** {@link MinMaxObserver}: the smallest and largest value observed. */
    MINMAX,
    /** {@link PercentileObserver}: each side clipped at its 99.99th percentile. */
    PERCENTILE,
    /** {@link EntropyObserver}: TensorRT's KL-divergence threshold. */
    ENTROPY;

    /** A new observer of this method, with nothing observed. */
    public RangeObserver newObserver() {
        return switch (this) {
            case MINMAX -> new MinMaxObserver();
            case PERCENTILE -> new PercentileObserver();
            case ENTROPY -> new EntropyObserver();
        };
    }

    /**
     * The method spelled {@code minmax}, {@code percentile} or {@code entropy}, in any case.
     *
     * @throws IllegalArgumentException naming {@code name} and the accepted spellings, for any other string
     *     (null included)
     */
    public static Calibration parse(String name) {
        String key = name == null ? "" : name.toLowerCase(Locale.ROOT);
        return switch (key) {
            case "minmax" -> MINMAX;
            case "percentile" -> PERCENTILE;
            case "entropy" -> ENTROPY;
            default -> throw new IllegalArgumentException("unknown calibration method '" + name
                    + "': expected minmax, percentile or entropy");
        };
    }
}
