package org.legodnn.nn.train;

/**
 * What one training epoch achieved, for the progress display, the checkpoint metadata and the caller.
 *
 * @param epoch           0-based epoch number
 * @param epochs          the run's total epochs
 * @param loss            mean training loss over the epoch's batches (weighted by batch size)
 * @param trainAccuracy   the task's metric on the training batches while training on them (top-1 for
 *                        classification: the fraction classified right)
 * @param testAccuracy    the task's metric on the test set after the epoch (top-1 for classification), or NaN
 *                        when there is none
 * @param testSamples     test images evaluated (0 when none)
 * @param lr              the learning rate of the epoch's last step
 * @param seconds         wall time of the training part (evaluation excluded)
 * @param imagesPerSecond training images per second
 */
public record EpochResult(int epoch, int epochs, double loss, double trainAccuracy, double testAccuracy,
                          int testSamples, double lr, double seconds, double imagesPerSecond) {
}
