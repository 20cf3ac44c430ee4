package org.legodnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.legodnn.tensor.io.SafetensorsFile;

class TrainEvalCommandTest {

    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private CliRun train(Path out, int epochs, String... extra) {
        String[] base = {"train", "--model", "cifar_resnet8", "--dataset", "fashion-mnist", "--epochs", Integer.toString(epochs),
            "--limit", "256", "--test-limit", "128", "--batch", "64", "--out", out.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return run(args);
    }

    @Test
    void trainWritesWeightsAndEvalReadsThem() throws Exception {
        Path out = dir.resolve("tiny.safetensors");
        CliRun t = train(out, 1);
        assertEquals(0, t.code(), t.out() + t.err());
        assertTrue(t.err().startsWith("fashion-mnist: "), "stderr first says which data: " + t.err());
        assertTrue(t.err().contains("training cifar_resnet8 (") && t.err().contains("epoch 1/1  loss"),
                "the settings and the epoch's line are progress, on stderr: " + t.err());
        assertEquals(1, t.out().lines().count(), "stdout carries only the result: " + t.out());
        assertTrue(t.out().startsWith("done: 1 epoch in ") && t.out().contains("test top-1 ")
                && t.out().contains("wrote " + out), t.out());
        assertTrue(Files.isRegularFile(out));
        Path ckpt = dir.resolve("tiny.ckpt.safetensors");
        assertTrue(Files.isRegularFile(ckpt));
        Map<String, String> meta = SafetensorsFile.open(out).metadata();
        assertEquals("cifar_resnet8", meta.get("model"));
        assertEquals("1", meta.get("epoch"));
        assertEquals("256", meta.get("train_images"));
        assertTrue(SafetensorsFile.open(out).contains("layer1.0.conv1.weight"));
        assertTrue(SafetensorsFile.open(ckpt).contains("optimizer.0.momentum_buffer"));

        CliRun e = run("eval", "--model", "cifar_resnet8", "--weights", out.toString(), "--dataset", "fashion-mnist",
                "--json", "--limit", "128");
        assertEquals(0, e.code(), e.out() + e.err());
        String json = e.out().strip();
        assertTrue(json.matches("\\{\"accuracy\": [0-9.E-]+, \"samples\": 128\\}"), json);
        double accuracy = Double.parseDouble(json.substring(json.indexOf(':') + 1, json.indexOf(',')).strip());
        assertTrue(accuracy >= 0 && accuracy <= 1, json);
        assertEquals(Double.parseDouble(meta.get("test_accuracy")), accuracy, 1e-12,
                "eval measures what train reported on the same 128 images");

        CliRun text = run("eval", "--model", "cifar_resnet8", "--weights", out.toString(), "--dataset", "fashion-mnist",
                "--limit", "128");
        assertEquals(0, text.code());
        assertTrue(text.out().startsWith("top-1 ") && text.out().contains("of 128 fashion-mnist test images"), text.out());

        CliRun resumed = train(out, 2, "--resume", ckpt.toString());
        assertEquals(0, resumed.code(), resumed.out() + resumed.err());
        assertTrue(resumed.err().contains("resuming from") && resumed.err().contains("epoch 2/2  loss"), resumed.err());
        assertTrue(resumed.out().startsWith("done: 1 epoch in ") && resumed.out().lines().count() == 1, resumed.out());
        assertEquals("2", SafetensorsFile.open(out).metadata().get("epoch"));
        CliRun wrongModel = run("train", "--model", "cifar_resnet14", "--dataset", "fashion-mnist", "--epochs", "3",
                "--limit", "64", "--out", dir.resolve("x.safetensors").toString(), "--resume", ckpt.toString());
        assertEquals(1, wrongModel.code());
        assertTrue(wrongModel.err().contains("checkpoint of cifar_resnet8"), wrongModel.err());

        // --init: these weights, a fresh optimizer and schedule; the epoch count starts again.
        Path tuned = dir.resolve("tuned.safetensors");
        CliRun init = train(tuned, 1, "--init", out.toString(), "--lr", "1e-9", "--momentum", "0", "--weight-decay", "0");
        assertEquals(0, init.code(), init.out() + init.err());
        Map<String, String> tunedMeta = SafetensorsFile.open(tuned).metadata();
        assertEquals("1", tunedMeta.get("epoch"));
        assertEquals("tiny.safetensors", tunedMeta.get("init"));
        float[] before = SafetensorsFile.open(out).tensor("layer1.0.conv1.weight").data();
        float[] after = SafetensorsFile.open(tuned).tensor("layer1.0.conv1.weight").data();
        assertEquals(before.length, after.length);
        for (int i = 0; i < before.length; i++) {
            assertEquals(before[i], after[i], 1e-6, "a vanishing step keeps the initial weights, at " + i);
        }
        CliRun both = train(dir.resolve("y.safetensors"), 1, "--init", out.toString(), "--resume", ckpt.toString());
        assertEquals(2, both.code(), both.err());
        assertTrue(both.err().contains("--init and --resume exclude each other"), both.err());
    }

    @Test
    void badUsageExitsWithTwo() {
        Path out = dir.resolve("w.safetensors");
        String[][] bad = {
            {"train", "--model", "cifar_resnet8", "--dataset", "fashion-mnist", "--epochs", "1"},
            {"train", "--model", "nope", "--dataset", "fashion-mnist", "--epochs", "1", "--out", out.toString()},
            {"train", "--model", "cifar_resnet8", "--dataset", "imagenet", "--epochs", "1", "--out", out.toString()},
            {"train", "--model", "cifar_resnet8", "--dataset", "mnist", "--epochs", "0", "--out", out.toString()},
            {"train", "--model", "cifar_resnet8", "--dataset", "mnist", "--epochs", "1", "--out", out.toString(),
                "--schedule", "linear"},
            {"train", "--model", "cifar_resnet8", "--dataset", "mnist", "--epochs", "1", "--out", out.toString(),
                "--lr", "abc"},
            {"eval", "--model", "cifar_resnet8", "--dataset", "fashion-mnist"},
            {"eval", "--model", "default"},
            {"eval", "--model", "default", "--dataset", "fashion-mnist", "--weights", dir.resolve("none").toString()},
        };
        for (String[] args : bad) {
            CliRun r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + " -> " + r.err());
            assertEquals(1, r.err().lines().count(), r.err());
        }
        assertTrue(!Files.exists(out));
    }

    @Test
    void shippedTeacherIsTrained() throws Exception {
        CliRun r = run("eval", "--model", "default", "--dataset", "fashion-mnist", "--json", "--limit", "1000");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> result = com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(r.out());
        assertEquals(1000, ((Number) result.get("samples")).intValue());
        double accuracy = ((Number) result.get("accuracy")).doubleValue();
        assertTrue(accuracy >= 0.90, "the shipped teacher scores " + accuracy + " on the first 1,000 test images");
    }

    @Test
    void helpStatesTheAccuracyIsAFraction() {
        CliRun r = run("eval", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("fraction") && r.out().contains("0..1"), r.out());
        CliRun t = run("train", "--help");
        assertEquals(0, t.code());
        assertTrue(t.out().contains("--no-augment") || t.out().contains("--[no-]augment"), t.out());
    }
}
