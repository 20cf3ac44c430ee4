package org.legodnn.nn.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.legodnn.nn.data.Batch;
import org.legodnn.nn.data.DataCatalog;
import org.legodnn.nn.data.Dataset;
import org.legodnn.nn.data.Targets;
import org.legodnn.tensor.Tensor;

/** The pose task: Gaussian heatmaps decode back to their keypoints, the loss and PCK on hand-placed cases. */
class PoseTaskTest {

    @Test
    void knownByNameWithItsDataSet() throws IOException {
        assertEquals(Pose.TASK, Tasks.named("pose"));
        assertEquals("PCK@0.1", Pose.TASK.metricName());
        Dataset test = DataCatalog.open("fashion-mnist-pose", null, null).test().load();
        assertEquals(Targets.Kind.KEYPOINTS, test.targetKind());
        Pose.TASK.check(test, "fashion-mnist-pose");
        Targets.Keypoints t = (Targets.Keypoints) test.targets(new int[] {0, 5});
        assertEquals(2, t.images());
        assertEquals(5, t.keypoints());
    }

    @Test
    void targetHeatmapsDecodeToTheirKeypointsWithinHalfAStride() {
        // Keypoints on a 64-pixel input, heatmaps of 16x16 (stride 4): the peak is the heatmap pixel nearest the
        // truth (half a pixel off at most, 2 input pixels); inside, the quarter-pixel move goes towards the truth.
        float[] points = {10.3f, 20.9f, 33f, 33f, 60.2f, 3.4f, 2f, 47.5f, 31.1f, 12.6f};
        Targets.Keypoints truth = new Targets.Keypoints(points, new float[] {40f}, 5);
        Tensor heat = Pose.TASK.heatmaps(truth, 16, 16);
        Targets.Keypoints decoded = (Targets.Keypoints) Pose.TASK.decode(heat);
        for (int k = 0; k < 10; k++) {
            assertEquals(points[k], decoded.points()[k], 2.0 + 1e-4, "coordinate " + k);
        }
        Metric pck = Pose.TASK.newMetric(10);
        pck.add(decoded, truth);
        assertEquals(1.0, pck.value(), 1e-12);   // every error below 0.1 × 40 = 4 pixels
        assertTrue(pck.details().get("mean_pixel_error") < 1.5);
    }

    @Test
    void pckCountsAgainstTheTruthsDiagonal() {
        // Two images, two keypoints each; diagonals 50 and 10: thresholds 5 and 1 pixels.
        Targets.Keypoints truth = new Targets.Keypoints(new float[] {0, 0, 10, 10, 0, 0, 10, 10},
                new float[] {50, 10}, 2);
        Targets.Keypoints predicted = new Targets.Keypoints(new float[] {3, 4, 10, 10, 0.6f, 0.8f, 13, 14},
                new float[2], 2);
        Metric pck = Pose.TASK.newMetric(10);
        pck.add(predicted, truth);
        // 5 (at the threshold: a miss), 0 (a hit), 1 (at the threshold: a miss), 5 (a miss).
        assertEquals(0.25, pck.value(), 1e-12);
        assertEquals((5 + 0 + 1 + 5) / 4.0, pck.details().get("mean_pixel_error"), 1e-6);
        assertEquals(2, pck.samples());
    }

    @Test
    void lossIsZeroOnTheTargetAndTheShapeIsChecked() {
        Targets.Keypoints truth = new Targets.Keypoints(new float[] {20, 30}, new float[] {30}, 1);
        Tensor target = Pose.TASK.heatmaps(truth, 16, 16);
        Batch batch = new Batch(Tensor.zeros(1, 1, 64, 64), truth, new int[] {0});
        assertEquals(0.0, Pose.TASK.loss(target, batch).item(), 1e-12);
        assertTrue(Pose.TASK.loss(Tensor.zeros(1, 1, 16, 16), batch).item() > 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pose.TASK.loss(Tensor.zeros(1, 10), batch));
        assertTrue(e.getMessage().contains("expected heatmaps [1, 1, H, W]"), e.getMessage());
    }
}
