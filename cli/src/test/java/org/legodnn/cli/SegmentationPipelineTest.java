package org.legodnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.legodnn.core.offline.BlockStore;
import org.legodnn.nn.models.ModelZoo;
import org.legodnn.nn.train.Checkpoint;

/**
 * LegoDNN's whole pipeline for segmentation on the command line (issue 18), on a random {@code fcn_resnet18} and a
 * few canvases of {@code fashion-mnist-seg} (seconds): {@code offline --task segmentation} records the task and
 * profiles mIoU; {@code optimize}, {@code series} and {@code export} read the task from the store and say mIoU;
 * {@code eval --model exported.onnx --store S} scores the export by the store's task.
 */
class SegmentationPipelineTest {

    @TempDir
    Path dir;

    @Test
    void offlineOptimizeExportEvalBySegmentationsMetric() throws Exception {
        Path weights = dir.resolve("fcn.safetensors");
        Checkpoint.writeWeights(weights, ModelZoo.create("fcn_resnet18", 1, 11), Map.of());
        Path store = dir.resolve("store");
        CliRun offline = CliRun.of("offline", "--task", "segmentation", "--model", "fcn_resnet18", "--weights",
                weights.toString(), "--sparsities", "0,0.5", "--out", store.toString(), "--epochs", "1", "--limit", "16",
                "--test-limit", "8", "--threads", "1");
        assertEquals(0, offline.code(), offline.out() + offline.err());
        assertTrue(offline.err().startsWith("fashion-mnist-seg: "), "the task's data set: " + offline.err());
        assertTrue(offline.out().contains("teacher mIoU "), offline.out());
        String index = Files.readString(store.resolve("index.json"));
        assertTrue(index.contains("\"task\": \"segmentation\"") && index.contains("\"metric\": \"mIoU\"")
                && index.contains("\"dataset\": \"fashion-mnist-seg\""), index);
        assertTrue(Files.readString(store.resolve("profiles.json")).contains("\"metric\": \"mIoU\""));

        CliRun optimize = CliRun.of("optimize", "--profiles", store.toString(), "--latency-ms", "1000", "--memory-mb",
                "1000", "--json");
        assertEquals(0, optimize.code(), optimize.err());
        Map<String, Object> o = JSON.std.mapFrom(optimize.out());
        assertEquals("mIoU", o.get("metric"));
        double estimate = ((Number) o.get("accuracy")).doubleValue();
        CliRun text = CliRun.of("optimize", "--profiles", store.toString(), "--latency-ms", "1000", "--memory-mb", "1000");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("(segmentation, mIoU)") && text.out().contains("mIoU drop ")
                && text.out().contains("estimated mIoU "), text.out());

        Path onnx = dir.resolve("composed.onnx");
        CliRun export = CliRun.of("export", "--store", store.toString(), "--selection", "1,1,1,1,1,1,1,1,1", "--out",
                onnx.toString());
        assertEquals(0, export.code(), export.err());
        assertTrue(export.out().contains("estimated mIoU "), export.out());

        Path image = Files.write(dir.resolve("canvas.png"), new byte[] {0});
        CliRun predict = CliRun.of("predict", "--model", onnx.toString(), "--store", store.toString(), "--image",
                image.toString());
        assertEquals(2, predict.code(), predict.err());
        assertTrue(predict.err().contains("was made for task segmentation; predict classifies images"), predict.err());

        CliRun eval = CliRun.of("eval", "--model", onnx.toString(), "--store", store.toString(), "--json", "--limit", "8");
        assertEquals(0, eval.code(), eval.err());
        Map<String, Object> e = JSON.std.mapFrom(eval.out());
        assertEquals("segmentation", e.get("task"));
        assertEquals("mIoU", e.get("metric"));
        assertEquals(8, ((Number) e.get("samples")).intValue());
        double measured = ((Number) e.get("value")).doubleValue();
        assertTrue(measured >= 0 && measured <= 1, eval.out());

        // the unpruned composition, measured on the profile's own 8 canvases, is the teacher the profile measured
        CliRun teacher = CliRun.of("export", "--store", store.toString(), "--selection", "0,0,0,0,0,0,0,0,0", "--out",
                dir.resolve("teacher.onnx").toString());
        assertEquals(0, teacher.code(), teacher.err());
        CliRun same = CliRun.of("eval", "--model", dir.resolve("teacher.onnx").toString(), "--store", store.toString(),
                "--task", "segmentation", "--json", "--limit", "8");
        assertEquals(0, same.code(), same.err());
        // (a pixel whose two largest logits differ in the last bit may fall either way: 1e-3 is a few pixels of 32,768)
        assertEquals(BlockStore.read(store).profiles().teacherAccuracy(),
                ((Number) JSON.std.mapFrom(same.out()).get("value")).doubleValue(), 1e-3, same.out());
        assertTrue(estimate <= BlockStore.read(store).profiles().teacherAccuracy() + 1e-12, "estimate " + estimate);

        Path series = dir.resolve("series");
        CliRun s = CliRun.of("series", "--store", store.toString(), "--out", series.toString(), "--latency-steps", "2",
                "--memory-steps", "1");
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("est.mIoU"), s.out());
        Map<String, Object> sj = JSON.std.mapFrom(Files.readString(series.resolve("series.json")));
        assertEquals("segmentation", sj.get("task"));
        assertEquals("mIoU", sj.get("metric"));
    }

    @Test
    void usageErrorsOfTheStoreCommandsNameTheTask() throws Exception {
        CliRun noTeacher = CliRun.of("offline", "--task", "segmentation", "--model", "default", "--out",
                dir.resolve("s").toString());
        assertEquals(2, noTeacher.code(), noTeacher.err());
        assertEquals(1, noTeacher.err().lines().count(), noTeacher.err());
        assertTrue(noTeacher.err().contains("--model default: no segmentation teacher is shipped yet"), noTeacher.err());

        CliRun demo = CliRun.of("demo", "--task", "segmentation", "--out", dir.resolve("d").toString());
        assertEquals(2, demo.code(), demo.err());
        assertEquals(1, demo.err().lines().count(), demo.err());
        assertTrue(demo.err().contains("--model default: no segmentation teacher is shipped yet"), demo.err());

        CliRun wrongData = CliRun.of("offline", "--model", "fcn_resnet18", "--weights", "x.safetensors", "--dataset",
                "fashion-mnist-seg", "--out", dir.resolve("s").toString());
        assertEquals(2, wrongData.code(), wrongData.err());
        assertTrue(wrongData.err().contains("use --task segmentation"), wrongData.err());

        Path store = TinyStore.build(dir); // a classifier's store
        CliRun mismatch = CliRun.of("eval", "--model", "x.onnx", "--store", store.toString(), "--task", "segmentation");
        assertEquals(2, mismatch.code(), mismatch.err());
        assertTrue(mismatch.err().contains("--task segmentation, but the block store " + store
                + " was made for task classification"), mismatch.err());
    }
}
