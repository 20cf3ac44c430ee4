package org.legodnn.nn.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.legodnn.nn.data.Batch;
import org.legodnn.nn.data.Targets;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/** The segmentation task's pieces: per-pixel argmax, per-pixel loss, mIoU over batches, shape checks. */
class SegmentationTaskTest {

    /** Two images of 1×2 pixels, 3 classes: logits [2, 3, 1, 2]. */
    private static final Tensor LOGITS = Tensor.of(new float[] {
        // image 0: class planes 0, 1, 2 over pixels (a, b)
        1, 0, 0, 2, 0, 2,
        // image 1
        0, 5, 3, 5, 1, 0}, 2, 3, 1, 2);

    @Test
    void decodeTakesTheFirstLargestLogitPerPixel() {
        Targets.Pixels p = (Targets.Pixels) Segmentation.TASK.decode(LOGITS);
        // image 0: pixel a -> 0 (1 vs 0, 0); pixel b -> 1 (0, 2, 2: first maximum); image 1: a -> 1, b -> 0 (5, 5, 0)
        assertArrayEquals(new int[] {0, 1, 1, 0}, p.labels());
        assertEquals(2, p.images());
        assertEquals(1, p.height());
        assertEquals(2, p.width());
    }

    @Test
    void lossIsThePerPixelCrossEntropy() {
        int[] labels = {0, 2, 1, 1};
        Batch b = new Batch(Tensor.zeros(2, 1, 1, 2), new Targets.Pixels(labels, 2, 1, 2), new int[] {0, 1});
        assertEquals(Ops.crossEntropy(LOGITS, labels).item(), Segmentation.TASK.loss(LOGITS, b).item(), 0);
        Batch wrong = new Batch(Tensor.zeros(2, 1, 2, 2), new Targets.Pixels(new int[8], 2, 2, 2), new int[] {0, 1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Segmentation.TASK.loss(LOGITS, wrong));
        assertEquals("segmentation: the model's output has shape [2, 3, 1, 2]; expected logits [2, classes, 2, 2] (a class"
                + " score per pixel at the labels' resolution)", e.getMessage());
        Batch classes = new Batch(Tensor.zeros(2, 1, 1, 2), new int[] {0, 1}, new int[] {0, 1});
        assertThrows(IllegalArgumentException.class, () -> Segmentation.TASK.loss(LOGITS, classes));
    }

    @Test
    void meanIouOverBatchesCountsEveryPixel() {
        Metric m = Segmentation.TASK.newMetric(3);
        // truth 0,2,1,1 against prediction 0,1,1,0 (batch 1), then truth 2,2 against 2,2 (batch 2)
        m.add(Segmentation.TASK.decode(LOGITS), new Targets.Pixels(new int[] {0, 2, 1, 1}, 2, 1, 2));
        m.add(new Targets.Pixels(new int[] {2, 2}, 1, 1, 2), new Targets.Pixels(new int[] {2, 2}, 1, 1, 2));
        // class 0: TP 1, truth 1, predicted 2 -> 1/2; class 1: TP 1, truth 2, predicted 2 -> 1/3;
        // class 2: TP 2, truth 3, predicted 2 -> 2/3
        assertEquals((0.5 + 1.0 / 3 + 2.0 / 3) / 3, m.value(), 1e-12);
        assertEquals(4.0 / 6, m.details().get("pixel_accuracy"), 1e-12);
        assertEquals(3, m.samples());
    }

    @Test
    void refusesAClassifiersOutput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Segmentation.TASK.decode(Tensor.zeros(4, 10)));
        assertTrue(e.getMessage().contains("[4, 10]"), e.getMessage());
    }
}
