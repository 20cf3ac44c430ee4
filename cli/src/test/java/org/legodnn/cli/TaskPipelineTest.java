package org.legodnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.legodnn.core.offline.BlockStore;
import org.legodnn.nn.models.ModelZoo;
import org.legodnn.nn.train.Checkpoint;

/**
 * LegoDNN's whole pipeline on the command line for each task beyond classification (issue 18), on a random model
 * and a few images of the task's data set (seconds): {@code offline --task T} records the task and profiles its
 * metric; {@code optimize}, {@code series} and {@code export} read the task from the store and name the metric;
 * {@code eval --model exported.onnx --store S} scores the export by the store's task.
 */
class TaskPipelineTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "segmentation, fcn_resnet18, fashion-mnist-seg, mIoU, 11",
        "detection, yolov3_resnet18, mnist-det, mAP50, 10",
    })
    void offlineOptimizeExportEvalByTheTasksMetric(String task, String model, String dataset, String metric,
                                                   int classes) throws Exception {
        Path weights = dir.resolve("teacher.safetensors");
        Checkpoint.writeWeights(weights, ModelZoo.create(model, 1, classes), Map.of());
        Path store = dir.resolve("store");
        CliRun offline = CliRun.of("offline", "--task", task, "--model", model, "--weights", weights.toString(),
                "--sparsities", "0,0.5", "--out", store.toString(), "--epochs", "1", "--limit", "16", "--test-limit", "8",
                "--threads", "1");
        assertEquals(0, offline.code(), offline.out() + offline.err());
        assertTrue(offline.err().startsWith(dataset + ": "), "the task's data set: " + offline.err());
        assertTrue(offline.out().contains("teacher " + metric + " "), offline.out());
        String index = Files.readString(store.resolve("index.json"));
        assertTrue(index.contains("\"task\": \"" + task + "\"") && index.contains("\"metric\": \"" + metric + "\"")
                && index.contains("\"dataset\": \"" + dataset + "\""), index);
        assertTrue(Files.readString(store.resolve("profiles.json")).contains("\"metric\": \"" + metric + "\""));

        String[] roomy = {"--profiles", store.toString(), "--latency-ms", "1000", "--memory-mb", "1000"};
        CliRun optimize = CliRun.of(concat(new String[] {"optimize", "--json"}, roomy));
        assertEquals(0, optimize.code(), optimize.err());
        Map<String, Object> o = JSON.std.mapFrom(optimize.out());
        assertEquals(metric, o.get("metric"));
        double estimate = ((Number) o.get("accuracy")).doubleValue();
        double teacherValue = BlockStore.read(store).profiles().teacherAccuracy();
        assertTrue(estimate <= teacherValue + 1e-12, "the estimate is the teacher's minus drops: " + estimate);
        CliRun text = CliRun.of(concat(new String[] {"optimize"}, roomy));
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("(" + task + ", " + metric + ")") && text.out().contains(metric + " drop ")
                && text.out().contains("estimated " + metric + " "), text.out());

        int blocks = ((List<?>) o.get("selection")).size();
        Path onnx = dir.resolve("composed.onnx");
        CliRun export = CliRun.of("export", "--store", store.toString(), "--selection", ones(blocks, "1"), "--out",
                onnx.toString());
        assertEquals(0, export.code(), export.err());
        assertTrue(export.out().contains("estimated " + metric + " "), export.out());

        Path image = Files.write(dir.resolve("canvas.png"), new byte[] {0});
        CliRun predict = CliRun.of("predict", "--model", onnx.toString(), "--store", store.toString(), "--image",
                image.toString());
        assertEquals(2, predict.code(), predict.err());
        assertTrue(predict.err().contains("was made for task " + task + "; predict classifies images"), predict.err());

        CliRun eval = CliRun.of("eval", "--model", onnx.toString(), "--store", store.toString(), "--json", "--limit", "8");
        assertEquals(0, eval.code(), eval.err());
        Map<String, Object> e = JSON.std.mapFrom(eval.out());
        assertEquals(task, e.get("task"));
        assertEquals(metric, e.get("metric"));
        assertEquals(8, ((Number) e.get("samples")).intValue());
        double measured = ((Number) e.get("value")).doubleValue();
        assertTrue(measured >= 0 && measured <= 1, eval.out());

        // the unpruned composition, measured on the profile's own 8 images, is the teacher the profile measured
        Path teacher = dir.resolve("teacher.onnx");
        CliRun unpruned = CliRun.of("export", "--store", store.toString(), "--selection", ones(blocks, "0"), "--out",
                teacher.toString());
        assertEquals(0, unpruned.code(), unpruned.err());
        CliRun same = CliRun.of("eval", "--model", teacher.toString(), "--store", store.toString(), "--task", task,
                "--json", "--limit", "8");
        assertEquals(0, same.code(), same.err());
        // (an output whose two best values differ in the last bit may decode either way: 1e-3 allows a few pixels)
        assertEquals(teacherValue, ((Number) JSON.std.mapFrom(same.out()).get("value")).doubleValue(), 1e-3, same.out());

        Path series = dir.resolve("series");
        CliRun s = CliRun.of("series", "--store", store.toString(), "--out", series.toString(), "--latency-steps", "2",
                "--memory-steps", "1");
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("est." + metric), s.out());
        Map<String, Object> sj = JSON.std.mapFrom(Files.readString(series.resolve("series.json")));
        assertEquals(task, sj.get("task"));
        assertEquals(metric, sj.get("metric"));
    }

    @Test
    void usageErrorsOfTheStoreCommandsNameTheTask() throws Exception {
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

    /** {@code n} copies of {@code v} joined by commas: a selection of one descendant index for every block. */
    private static String ones(int n, String v) {
        return String.join(",", Collections.nCopies(n, v));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
