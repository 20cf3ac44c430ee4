package org.legodnn.nn.train;

/**
 * What the {@link Trainer} reports while it runs, so that how progress is shown (a live bar, plain log
 * lines, nothing in tests) is separate from training.
 */
public interface Progress {

    /** Epoch {@code epoch} (0-based) of {@code epochs} begins: {@code batches} batches, {@code samples} images. */
    void epochStart(int epoch, int epochs, int batches, int samples);

    /**
     * Batch {@code batch} (1-based count of batches done) finished.
     *
     * @param samples  images trained on so far in this epoch
     * @param loss     mean loss so far in this epoch
     * @param accuracy training accuracy so far in this epoch, 0..1
     */
    void step(int batch, int samples, double loss, double accuracy);

    /** The epoch's training is done and the test set is being evaluated. */
    default void evaluating() {
    }

    /** The epoch is done (training, evaluation and checkpoint). */
    void epochEnd(EpochResult result);

    /** Shows nothing. */
    Progress NONE = new Progress() {
        @Override
        public void epochStart(int epoch, int epochs, int batches, int samples) {
        }

        @Override
        public void step(int batch, int samples, double loss, double accuracy) {
        }

        @Override
        public void epochEnd(EpochResult result) {
        }
    };
}
