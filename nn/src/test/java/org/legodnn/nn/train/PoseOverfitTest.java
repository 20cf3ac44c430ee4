package org.legodnn.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.legodnn.nn.Init;
import org.legodnn.nn.data.DataCatalog;
import org.legodnn.nn.data.Dataset;
import org.legodnn.nn.data.PoseCanvases;
import org.legodnn.nn.models.ModelZoo;
import org.legodnn.nn.models.SimpleBaselines;
import org.legodnn.nn.optim.Adam;
import org.legodnn.nn.task.Pose;
import org.legodnn.nn.task.Score;
import org.legodnn.tensor.Tensor;

/**
 * Pose end to end, through the same Trainer and Evaluator as every task: SimpleBaselines learns a handful of
 * fashion-mnist-pose canvases by heart, so its PCK@0.1 on them climbs from chance to most keypoints. Proves that the
 * heatmap targets, the decoding and the metric agree with each other (an off-by-a-stride between them keeps PCK
 * low however long it trains).
 */
class PoseOverfitTest {

    @Test
    void theModelGivesOneHeatmapPerKeypointAtAQuarterOfTheInput() {
        SimpleBaselines net = (SimpleBaselines) ModelZoo.create("simplebaselines_resnet18", 1, 5);
        net.eval();
        Tensor y = net.forward(Tensor.zeros(2, 1, 64, 64));
        assertEquals(List.of(2, 5, 16, 16), List.of(y.dim(0), y.dim(1), y.dim(2), y.dim(3)));
        long floats = net.stateDict().values().stream().mapToLong(Tensor::size).sum();
        assertTrue(floats * 4 <= 4_000_000, "weights of " + floats * 4 + " bytes, the shipped limit is 4 MB");
    }

    @Test
    void learnsAHandfulOfCanvasesByHeart() throws IOException {
        DataCatalog.Source s = DataCatalog.open("fashion-mnist-pose", null, null);
        Dataset canvases = new PoseCanvases(DataCatalog.shipped("fashion-mnist").train().load(), 8,
                DataCatalog.CANVAS_SEED);
        Init.manualSeed(1);
        SimpleBaselines net = SimpleBaselines.simplebaselinesResnet18(1, PoseCanvases.KEYPOINTS);
        Score before = Evaluator.evaluate(Pose.TASK, net, canvases, s.normalize(), 8);
        Adam adam = new Adam(net.parameters(), 0.005);
        Trainer.Options o = new Trainer.Options(200, 8, 1, s.augment(), s.normalize(), null, Trainer.ScheduleUnit.STEP,
                8, null, null, null);
        List<EpochResult> r = new Trainer(net, Pose.TASK, adam, o, Progress.NONE).fit(canvases, null);
        Score after = Evaluator.evaluate(Pose.TASK, net, canvases, s.normalize(), 8);
        System.out.printf("pose overfit: PCK@0.1 %.3f -> %.3f, loss %.4f -> %.4f%n", before.value(), after.value(),
                r.get(0).loss(), r.get(r.size() - 1).loss());
        assertEquals("PCK@0.1", after.metric());
        assertTrue(after.value() > before.value() + 0.3 && after.value() >= 0.5, "PCK@0.1 " + before.value() + " -> "
                + after.value() + " (loss " + r.get(0).loss() + " -> " + r.get(r.size() - 1).loss() + ")");
    }
}
