package org.legodnn.nn.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.legodnn.nn.data.Targets;
import org.legodnn.nn.train.Evaluator;
import org.legodnn.tensor.Tensor;

/** Classification through the task interface gives exactly what the hard-coded top-1 gave. */
class ClassificationTaskTest {

    @Test
    void decodeIsArgmaxWithTheFirstMaximumWinning() {
        Tensor logits = Tensor.of(new float[] {0, 3, 1, 5, 5, 2, -1, -1, -1}, 3, 3);
        Targets.Classes t = (Targets.Classes) Classification.TASK.decode(logits);
        assertArrayEquals(new int[] {1, 0, 0}, t.labels());
        Metric top1 = Classification.TASK.newMetric(3);
        top1.add(t, new Targets.Classes(new int[] {1, 2, 0}));
        assertEquals(2.0 / 3, top1.value(), 0);
        assertEquals(Evaluator.countCorrect(logits, new int[] {1, 2, 0}), ((Classification.TopOne) top1).correct());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Classification.TASK.decode(Tensor.zeros(2, 3, 4, 4)));
        assertTrue(e.getMessage().contains("[2, 3, 4, 4]"), e.getMessage());
    }

    @Test
    void tasksByName() {
        assertEquals(Classification.TASK, Tasks.named("classification"));
        assertEquals(Segmentation.TASK, Tasks.named("segmentation"));
        assertEquals(Detection.TASK, Tasks.named("detection"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tasks.named("depth"));
        assertEquals("unknown task 'depth' (known: classification, segmentation, detection, pose, anomaly, action)", e.getMessage());
    }
}
