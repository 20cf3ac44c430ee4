package org.legodnn.nn.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.legodnn.nn.data.Batch;
import org.legodnn.nn.data.Box;
import org.legodnn.nn.data.Targets;
import org.legodnn.tensor.Tensor;

/** The detection task's contract: names, its metric with mAP 0.5:0.95 beside mAP50, and one-line refusals. */
class DetectionTaskTest {

    @Test
    void namesItsMetricAndData() {
        assertEquals("detection", Detection.TASK.name());
        assertEquals("mAP50", Detection.TASK.metricName());
        assertEquals(Targets.Kind.BOXES, Detection.TASK.targets());
        assertEquals("mnist-det", Detection.TASK.defaultDataset());
        assertEquals(8100, Detection.TASK.layout().outputSize(10));
    }

    @Test
    void theMetricReportsMapBesideMap50() {
        Metric m = Detection.TASK.newMetric(3);
        Box truth = Box.truth(1, 10, 10, 30, 30);
        Box close = new Box(1, 11, 11, 31, 31, 0.9f); // IoU 361/439 = 0.82: a hit at 0.5..0.8, a miss above
        m.add(new Targets.Boxes(List.of(List.of(close))), new Targets.Boxes(List.of(List.of(truth))));
        assertEquals(1, m.samples());
        assertEquals(1.0, m.value(), 1e-12);
        double map = m.details().get("mAP");
        assertEquals(7 / 10.0, map, 1e-12); // thresholds 0.50..0.80 hit (7 of 10), 0.85..0.95 miss
    }

    @Test
    void decodeOfAnEmptyOutputFindsNothing() {
        Tensor quiet = Tensor.of(new float[2 * 8100], 2, 8100);
        java.util.Arrays.fill(quiet.data(), -10f);
        Targets.Boxes b = (Targets.Boxes) Detection.TASK.decode(quiet);
        assertEquals(2, b.images());
        assertTrue(b.perImage().get(0).isEmpty() && b.perImage().get(1).isEmpty());
    }

    @Test
    void refusesOutputsAndBatchesOfAnotherKind() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Detection.TASK.decode(Tensor.zeros(2, 10)));
        assertEquals("YoloDecoder: an output row of 10 values does not fit the YOLO layout of 96x96 images with strides"
                + " [8, 16] (expected 2700 + 540 per class, e.g. 8100 for 10 classes)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Detection.TASK.decode(Tensor.zeros(2, 3, 4, 4)));
        assertEquals("detection: the model's output has shape [2, 3, 4, 4]; expected [N, 8100] (a YOLO output row per"
                + " image, e.g. yolov3_resnet18 for 10 classes)", e.getMessage());
        Batch classes = new Batch(Tensor.zeros(1, 1, 96, 96), new int[] {3}, new int[] {0});
        e = assertThrows(IllegalArgumentException.class, () -> Detection.TASK.loss(Tensor.zeros(1, 8100), classes));
        assertEquals("detection: the batch is labelled with class labels, not with boxes", e.getMessage());
        Batch small = new Batch(Tensor.zeros(1, 1, 64, 64), new Targets.Boxes(List.of(List.of())), new int[] {0});
        e = assertThrows(IllegalArgumentException.class, () -> Detection.TASK.loss(Tensor.zeros(1, 8100), small));
        assertEquals("detection: images of shape [1, 1, 64, 64] for a YOLO layout of 96x96 inputs", e.getMessage());
    }
}
