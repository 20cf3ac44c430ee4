package org.legodnn.nn.metrics;

import java.util.Arrays;

/**
 * The area under the ROC curve, which anomaly detection is scored by: the probability that a random anomaly
 * scores higher than a random normal sample, a tie counting one half — exactly, not by integrating a sampled
 * curve. Computed as the Mann-Whitney statistic on mid-ranks (tied scores share the mean of their ranks), which
 * equals scikit-learn's {@code roc_auc_score} (trapezoids through every distinct threshold) on any input.
 */
public final class Auroc {

    private Auroc() {
    }

    /**
     * AUROC of {@code scores} (higher means more anomalous) against {@code anomalous}; NaN when either class is
     * absent, where the area is undefined.
     *
     * @throws IllegalArgumentException when the lengths differ or a score is NaN
     */
    public static double of(double[] scores, boolean[] anomalous) {
        if (scores.length != anomalous.length) {
            throw new IllegalArgumentException("AUROC: " + scores.length + " scores for " + anomalous.length
                    + " labels");
        }
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("AUROC: score " + i + " is NaN");
            }
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double positiveRanks = 0;
        long positives = 0;
        for (int start = 0; start < order.length; ) {
            int end = start;
            while (end < order.length && scores[order[end]] == scores[order[start]]) {
                end++;
            }
            double midRank = (start + 1 + end) / 2.0;   // ranks start..end-1 are 1-based start+1..end
            for (int k = start; k < end; k++) {
                if (anomalous[order[k]]) {
                    positiveRanks += midRank;
                    positives++;
                }
            }
            start = end;
        }
        long negatives = scores.length - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (positiveRanks - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }
}
