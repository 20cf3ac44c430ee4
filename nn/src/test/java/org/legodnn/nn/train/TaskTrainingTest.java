package org.legodnn.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.legodnn.nn.data.Augment;
import org.legodnn.nn.data.DataCatalog;
import org.legodnn.nn.data.Dataset;
import org.legodnn.nn.optim.SGD;
import org.legodnn.nn.task.Classification;
import org.legodnn.nn.task.Score;
import org.legodnn.nn.task.Segmentation;
import org.legodnn.tensor.io.SafetensorsFile;

/** Training and evaluation through a task: classification as before, segmentation on the generated canvases. */
class TaskTrainingTest {

    @TempDir
    Path dir;

    @Test
    void taskEvaluationOfAClassifierEqualsTheTopOneEvaluation() throws IOException {
        DataCatalog.Source s = DataCatalog.shipped("fashion-mnist");
        Dataset test = s.test().load().first(300);
        TinyNet net = new TinyNet(1, 10, 7);
        Evaluator.Result old = Evaluator.evaluate(net, test, s.normalize(), 128);
        Score score = Evaluator.evaluate(Classification.TASK, net, test, s.normalize(), 64);
        assertEquals("classification", score.task());
        assertEquals("top1", score.metric());
        assertEquals(300, score.samples());
        assertEquals(old.accuracy(), score.value(), 0);
        assertTrue(score.details().isEmpty());
    }

    @Test
    void segmentationTrainsOnCanvasesAndSavesItsMetric() throws IOException {
        DataCatalog.Source s = DataCatalog.open("fashion-mnist-seg", null, null);
        Dataset train = s.train().load().first(48);
        Dataset test = s.test().load().first(32);
        PixelNet net = new PixelNet(1, train.classes(), 3);
        SGD sgd = new SGD(net.parameters(), 0.1, 0.9, 0, false);
        Path weights = dir.resolve("seg.safetensors");
        Trainer.Options o = new Trainer.Options(3, 16, 1, s.augment(), s.normalize(), null, Trainer.ScheduleUnit.STEP,
                16, null, weights, Map.of("model", "pixelnet"));
        List<EpochResult> r = new Trainer(net, Segmentation.TASK, sgd, o, Progress.NONE).fit(train, test);
        assertEquals(3, r.size());
        assertTrue(r.get(2).loss() < r.get(0).loss(), "loss " + r.get(0).loss() + " -> " + r.get(2).loss());
        assertEquals(32, r.get(2).testSamples());
        Map<String, String> meta = SafetensorsFile.open(weights).metadata();
        assertEquals(Double.toString(r.get(2).testAccuracy()), meta.get("test_mIoU"));
        assertTrue(meta.containsKey("train_mIoU"), meta.toString());

        Score score = Evaluator.evaluate(Segmentation.TASK, net, test, s.normalize(), 16);
        assertEquals("mIoU", score.metric());
        assertEquals(r.get(2).testAccuracy(), score.value(), 1e-12);
        double pixelAccuracy = score.details().get("pixel_accuracy");
        // Background is most of every canvas: even this small net gets most pixels right.
        assertTrue(pixelAccuracy > 0.5 && pixelAccuracy <= 1, "pixel accuracy " + pixelAccuracy);
    }

    @Test
    void aTaskRefusesDataLabelledForAnother() throws IOException {
        Dataset classes = DataCatalog.shipped("fashion-mnist").test().load().first(4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Evaluator.evaluate(Segmentation.TASK, new PixelNet(1, 11, 1), classes, null, 4));
        assertEquals("task segmentation needs a data set labelled with per-pixel labels, but the data set has class"
                + " labels (e.g. --dataset fashion-mnist-seg)", e.getMessage());
        Dataset canvases = DataCatalog.open("fashion-mnist-seg", null, null).test().load().first(4);
        assertThrows(IllegalArgumentException.class, () -> new Trainer(new TinyNet(1, 11, 1),
                new SGD(new TinyNet(1, 11, 1).parameters(), 0.1, 0, 0, false),
                new Trainer.Options(1, 2, 1, Augment.NONE, null, null, null, 2, null, null, null), Progress.NONE)
                .fit(canvases, null));
    }
}
