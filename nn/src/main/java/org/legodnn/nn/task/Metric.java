package org.legodnn.nn.task;

import java.util.Map;
import org.legodnn.nn.data.Targets;

/**
 * A task's score accumulated over batches: predictions and ground truth go in batch by batch, one number
 * comes out, higher is better. Some metrics cannot be summed per batch (mean average precision ranks all
 * detections of the data set), so the value is computed from everything added, when asked.
 */
public interface Metric {

    /** Adds one batch: {@code predicted} as the task {@link Task#decode decodes} it, {@code truth} from the data. */
    void add(Targets predicted, Targets truth);

    /** Images added so far. */
    int samples();

    /** The metric over everything added: higher is better (0 when nothing was added). */
    double value();

    /**
     * Secondary numbers worth reporting beside the value (pixel accuracy beside mIoU; mAP at IoU 0.5:0.95
     * beside mAP50), by name in a fixed order; empty when there are none.
     */
    default Map<String, Double> details() {
        return Map.of();
    }

    /** Throws when {@code predicted} and {@code truth} are not the same number of images of {@code kind}. */
    static void requireSame(String metric, Targets predicted, Targets truth, Targets.Kind kind) {
        if (predicted.kind() != kind || truth.kind() != kind) {
            throw new IllegalArgumentException(metric + ": expected " + kind.describe() + " for predictions and truth,"
                    + " got " + predicted.kind().describe() + " and " + truth.kind().describe());
        }
        if (predicted.images() != truth.images()) {
            throw new IllegalArgumentException(metric + ": " + predicted.images() + " predicted images for "
                    + truth.images() + " labelled ones");
        }
    }
}
