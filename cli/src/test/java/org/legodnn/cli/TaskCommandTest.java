package org.legodnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.legodnn.tensor.io.SafetensorsFile;

/** {@code --task} on train and eval: segmentation end to end, classification unchanged, and the usage errors. */
class TaskCommandTest {

    @TempDir
    Path dir;

    @Test
    void segmentationTrainsAndEvaluatesWithFcn() throws Exception {
        Path out = dir.resolve("fcn.safetensors");
        CliRun t = CliRun.of("train", "--task", "segmentation", "--model", "fcn_resnet18", "--dataset", "fashion-mnist-seg",
                "--epochs", "1", "--limit", "32", "--test-limit", "16", "--batch", "16", "--out", out.toString());
        assertEquals(0, t.code(), t.out() + t.err());
        assertTrue(t.err().startsWith("fashion-mnist-seg: 60000 train and 2000 test"), t.err());
        assertTrue(t.err().contains("11 classes"), t.err());
        assertTrue(t.out().contains("test mIoU "), t.out());
        Map<String, String> meta = SafetensorsFile.open(out).metadata();
        assertEquals("segmentation", meta.get("task"));
        assertEquals("none", meta.get("augment"));
        assertTrue(meta.containsKey("train_mIoU"), meta.toString());

        // No --dataset: the task's own.
        CliRun e = CliRun.of("eval", "--task", "segmentation", "--model", "fcn_resnet18", "--weights", out.toString(),
                "--json", "--limit", "16", "--batch", "8");
        assertEquals(0, e.code(), e.out() + e.err());
        Map<String, Object> json = com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(e.out());
        assertEquals("segmentation", json.get("task"));
        assertEquals("mIoU", json.get("metric"));
        assertEquals(16, ((Number) json.get("samples")).intValue());
        double miou = ((Number) json.get("value")).doubleValue();
        assertEquals(Double.parseDouble(meta.get("test_mIoU")), miou, 1e-12, "eval measures what train reported");
        double pixels = ((Number) json.get("pixel_accuracy")).doubleValue();
        assertTrue(miou >= 0 && miou <= 1 && pixels >= 0 && pixels <= 1, e.out());

        CliRun text = CliRun.of("eval", "--task", "segmentation", "--model", "fcn_resnet18", "--weights", out.toString(),
                "--limit", "16");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().matches("mIoU [0-9.]+%, pixel accuracy [0-9.]+% \\(16 fashion-mnist-seg test images\\)\\R"),
                text.out());
    }

    @Test
    void detectionTrainsAndEvaluatesWithYolo() throws Exception {
        Path out = dir.resolve("yolo.safetensors");
        CliRun t = CliRun.of("train", "--task", "detection", "--model", "yolov3_resnet18", "--epochs", "1", "--limit", "16",
                "--test-limit", "8", "--batch", "8", "--lr", "0.02", "--out", out.toString());
        assertEquals(0, t.code(), t.out() + t.err());
        assertTrue(t.err().startsWith("mnist-det: 60000 train and 2000 test"), t.err());
        assertTrue(t.out().contains("test mAP50 "), t.out());
        Map<String, String> meta = SafetensorsFile.open(out).metadata();
        assertEquals("detection", meta.get("task"));
        assertTrue(meta.containsKey("train_mAP50"), meta.toString());

        CliRun e = CliRun.of("eval", "--task", "detection", "--model", "yolov3_resnet18", "--weights", out.toString(),
                "--json", "--limit", "8");
        assertEquals(0, e.code(), e.out() + e.err());
        Map<String, Object> json = com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(e.out());
        assertEquals("detection", json.get("task"));
        assertEquals("mAP50", json.get("metric"));
        assertEquals(8, ((Number) json.get("samples")).intValue());
        double map50 = ((Number) json.get("value")).doubleValue();
        assertEquals(Double.parseDouble(meta.get("test_mAP50")), map50, 1e-12, "eval measures what train reported");
        double map = ((Number) json.get("mAP")).doubleValue();
        assertTrue(map50 >= 0 && map50 <= 1 && map >= 0 && map <= map50, e.out());

        CliRun text = CliRun.of("eval", "--task", "detection", "--model", "yolov3_resnet18", "--weights", out.toString(),
                "--limit", "8");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().matches("mAP50 [0-9.]+%, mAP [0-9.]+% \\(8 mnist-det test images\\)\\R"), text.out());
    }

    /** GANomaly on a one-class set named with its normal class: the ten-class mean loops over exactly this. */
    @Test
    void anomalyTrainsOnTheNormalClassItIsGivenAndEvaluates() throws Exception {
        Path out = dir.resolve("g.safetensors");
        CliRun t = CliRun.of("train", "--task", "anomaly", "--model", "ganomaly", "--dataset", "fashion-mnist-anomaly-3",
                "--epochs", "1", "--limit", "32", "--test-limit", "200", "--batch", "16", "--out", out.toString());
        assertEquals(0, t.code(), t.out() + t.err());
        assertTrue(t.err().startsWith("fashion-mnist-anomaly-3: normal (Dress) images"), t.err());
        Map<String, String> meta = SafetensorsFile.open(out).metadata();
        assertEquals("anomaly", meta.get("task"));
        assertEquals("fashion-mnist-anomaly-3", meta.get("dataset"));

        CliRun e = CliRun.of("eval", "--task", "anomaly", "--model", "ganomaly", "--dataset", "fashion-mnist-anomaly-3",
                "--weights", out.toString(), "--json", "--limit", "200");
        assertEquals(0, e.code(), e.out() + e.err());
        Map<String, Object> json = com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(e.out());
        assertEquals("AUROC", json.get("metric"));
        assertEquals(Double.parseDouble(meta.get("test_AUROC")), ((Number) json.get("value")).doubleValue(), 1e-12,
                "eval measures what train reported");
        CliRun bad = CliRun.of("train", "--task", "anomaly", "--model", "ganomaly", "--dataset", "fashion-mnist-anomaly-x",
                "--epochs", "1", "--out", out.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("unknown data set 'fashion-mnist-anomaly-x'"), bad.err());
    }

    @Test
    void classificationNamedIsTheDefaultInTheTaskForm() throws Exception {
        CliRun legacy = CliRun.of("eval", "--model", "default", "--dataset", "fashion-mnist", "--json", "--limit", "200");
        CliRun named = CliRun.of("eval", "--task", "classification", "--model", "default", "--json", "--limit", "200");
        assertEquals(0, named.code(), named.err());
        Map<String, Object> a = com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(legacy.out());
        Map<String, Object> b = com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(named.out());
        assertEquals(Map.of("task", "classification", "metric", "top1", "value", a.get("accuracy"), "samples", 200), b);
    }

    /** The shipped teachers: eval on the test canvases their training scored gives the score it wrote down. */
    @Test
    void theShippedTeachersScoreWhatTheirTrainingReported() throws Exception {
        String[][] cases = {{"segmentation", "mIoU", "fashion_mnist_seg_unet", "0.60", "500"},
            {"detection", "mAP50", "mnist_det_yolov3_resnet18", "0.85", "500"},
            {"pose", "PCK@0.1", "fashion_mnist_pose_simplebaselines_resnet18", "0.85", "1000"},
            {"anomaly", "AUROC", "fashion_mnist_anomaly_ganomaly", "0.80", "10000"},
            {"action", "top1", "moving_mnist_actions_tsn_resnet18", "0.90", "1000"}};
        for (String[] c : cases) {
            CliRun e = CliRun.of("eval", "--task", c[0], "--model", "default", "--json", "--limit", c[4]);
            assertEquals(0, e.code(), e.out() + e.err());
            Map<String, Object> json = com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(e.out());
            assertEquals(c[1], json.get("metric"));
            assertEquals(Integer.parseInt(c[4]), ((Number) json.get("samples")).intValue());
            double value = ((Number) json.get("value")).doubleValue();
            Map<String, String> meta;
            try (var in = TaskCommandTest.class.getResourceAsStream("/org/legodnn/teacher/" + c[2] + ".safetensors")) {
                meta = SafetensorsFile.fromBytes(c[2], in.readAllBytes()).metadata();
            }
            assertEquals(c[4], meta.get("test_samples"), meta.toString());
            assertEquals(Double.parseDouble(meta.get("test_" + c[1])), value, 1e-9, c[0]);
            assertTrue(value >= Double.parseDouble(c[3]), c[0] + " teacher scores " + value);
        }
    }

    @Test
    void usageErrorsNameTheTaskAndTheData() {
        Path out = dir.resolve("w.safetensors");
        String[][] bad = {
            {"eval", "--task", "depth", "--model", "default"},
            {"eval", "--task", "segmentation", "--model", "fcn_resnet18", "--dataset", "fashion-mnist",
                "--weights", out.toString()},
            {"train", "--model", "fcn_resnet18", "--dataset", "fashion-mnist-seg", "--epochs", "1", "--out", out.toString()},
            {"train", "--task", "segmentation", "--model", "fcn_resnet18", "--dataset", "mnist-det", "--epochs", "1",
                "--out", out.toString()},
            {"train", "--model", "fcn_resnet18", "--epochs", "1", "--out", out.toString()},
        };
        String[] expected = {
            "--task: unknown task 'depth' (known: classification, segmentation, detection, pose, anomaly, action)",
            "--dataset fashion-mnist is labelled with class labels, but task segmentation needs per-pixel labels"
                + " (use --task classification)",
            "--dataset fashion-mnist-seg is labelled with per-pixel labels, but task classification needs class labels"
                + " (use --task segmentation)",
            "--dataset mnist-det is labelled with boxes, but task segmentation needs per-pixel labels (use --task"
                + " detection)",
            "Missing required option: '--dataset=NAME'",
        };
        for (int i = 0; i < bad.length; i++) {
            CliRun r = CliRun.of(bad[i]);
            assertEquals(2, r.code(), String.join(" ", bad[i]) + " -> " + r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains(expected[i]), r.err());
        }
    }

    @Test
    void aSegmentationModelTrainedAsAClassifierSaysWhichTaskItNeeds() {
        CliRun r = CliRun.of("train", "--model", "fcn_resnet18", "--dataset", "fashion-mnist", "--epochs", "1",
                "--limit", "4", "--batch", "4", "--out", dir.resolve("x.safetensors").toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("expected logits [N, classes] (a class score per pixel is segmentation's: --task"
                + " segmentation)"), r.err());
    }
}
