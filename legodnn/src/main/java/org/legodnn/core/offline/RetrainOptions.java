package org.legodnn.core.offline;

/**
 * How descendants are retrained, with the original LegoDNN's values as defaults (MSE, Adam lr 3e-4, batch 128).
 *
 * @param epochs             passes over the training images (the original uses a fixed count too)
 * @param batchSize          images per step
 * @param lr                 Adam's learning rate
 * @param validationFraction share of the training images held out to pick each descendant's best epoch
 * @param seed               seeds the shuffling
 */
public record RetrainOptions(int epochs, int batchSize, double lr, double validationFraction, long seed) {

    public RetrainOptions {
        if (epochs < 0 || batchSize <= 0 || !(lr > 0) || !(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("RetrainOptions: epochs " + epochs + " (>= 0), batch " + batchSize
                    + " (> 0), lr " + lr + " (> 0), validation fraction " + validationFraction + " (in (0, 1))");
        }
    }

    /** 2 epochs, batch 128, lr 3e-4, 10% held out, seed 0. */
    public static RetrainOptions defaults() {
        return new RetrainOptions(2, 128, 3e-4, 0.1, 0);
    }

    public RetrainOptions withEpochs(int e) {
        return new RetrainOptions(e, batchSize, lr, validationFraction, seed);
    }
}
