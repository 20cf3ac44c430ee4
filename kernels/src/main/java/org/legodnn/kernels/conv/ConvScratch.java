package org.legodnn.kernels.conv;

/**
 * A per-thread float buffer that only grows, so that the convolution paths need no large allocation per
 * call: each pool thread keeps the biggest column matrix it has needed so far and reuses it.
 *
 * <p>Contents are garbage on return; callers overwrite what they read. One buffer per purpose
 * ({@link #COLUMNS}, {@link #PARTIALS}) so that a thread can hold both at once.
 */
final class ConvScratch {

    /** The im2col matrix of one image and group. */
    static final ConvScratch COLUMNS = new ConvScratch();

    /** One image's zero-padded input planes ({@link ConvDirect}). */
    static final ConvScratch PADDED = new ConvScratch();

    /** A chunk of output gradients laid out on padded rows ({@link ConvDirectGrad}). */
    static final ConvScratch GRADIENT_LINES = new ConvScratch();

    /** Per-chunk partial weight gradients of a batch-parallel backward pass. */
    static final ConvScratch PARTIALS = new ConvScratch();

    /** The column phases of a column-strided convolution's input ({@link ConvIm2col#toPhases}). */
    static final ConvScratch PHASES = new ConvScratch();

    /** A Winograd block's transformed input, {@code 36 × cin × tiles} ({@link ConvWinograd}). */
    static final ConvScratch WINOGRAD_INPUT = new ConvScratch();

    /** A Winograd block's 36 products, {@code 36 × cout × tiles}. */
    static final ConvScratch WINOGRAD_PRODUCT = new ConvScratch();

    /** The input of a Winograd convolution cut into its phases modulo the tile stride. */
    static final ConvScratch WINOGRAD_PHASES = new ConvScratch();

    /** A Winograd block's patches of one channel (then its outputs). */
    static final ConvScratch WINOGRAD_TILES = new ConvScratch();

    /** The intermediate rows of one Winograd transform (36 vectors). */
    static final ConvScratch WINOGRAD_TMP = new ConvScratch();

    private final ThreadLocal<float[]> local = ThreadLocal.withInitial(() -> new float[0]);

    private ConvScratch() {
    }

    /** This thread's buffer of at least {@code size} floats. */
    float[] take(int size) {
        float[] a = local.get();
        if (a.length < size) {
            a = new float[Math.max(size, a.length + (a.length >> 1))];
            local.set(a);
        }
        return a;
    }
}
