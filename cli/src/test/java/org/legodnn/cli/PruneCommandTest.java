package org.legodnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.legodnn.graph.Graph;
import org.legodnn.graph.exec.CompiledGraph;
import org.legodnn.graph.module.GraphModule;
import org.legodnn.graph.onnx.OnnxImporter;
import org.legodnn.graph.onnx.OrtRunner;
import org.legodnn.nn.data.DataCatalog;
import org.legodnn.nn.data.DataLoader;
import org.legodnn.nn.data.Dataset;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.io.Safetensors;

/**
 * {@code prune} on the shipped teacher with a short fine-tuning on a few images: the written model is smaller,
 * within its FLOPs target and of the same output shape; it is the model that was scored (its safetensors hold its
 * weights, and it scores what the command reported), and ONNX Runtime computes what we compute from it. Uses the
 * data set that {@code eval} finds (the full Fashion-MNIST where the Debian package is installed, else the subset
 * shipped with legodnn).
 */
class PruneCommandTest {

    @TempDir
    Path tmp;

    @Test
    void prunedTeacherMeetsItsFlopsTargetAndRunsTheSameInOnnxRuntime() throws Exception {
        Path out = tmp.resolve("pruned.onnx");
        CliRun r = CliRun.of("prune", "--model", "default", "--dataset", "fashion-mnist", "--target-flops", "0.5",
                "--finetune-epochs", "1", "--limit", "1024", "--batch", "64", "--test-limit", "300",
                "--out", out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("epoch 1/1"), "fine-tuning shows its progress on stderr: " + r.err());
        Map<String, Object> result = JSON.std.mapFrom(r.out());
        Map<?, ?> before = (Map<?, ?>) result.get("before");
        Map<?, ?> after = (Map<?, ?>) result.get("after");
        assertEquals("top1", result.get("metric"));
        assertEquals(300, ((Number) result.get("samples")).intValue());
        assertTrue(number(after, "flops") <= 0.5 * number(before, "flops"), before + " -> " + after);
        assertTrue(number(after, "params") < number(before, "params"), before + " -> " + after);
        assertTrue(number(after, "latency_ms") > 0 && number(before, "latency_ms") > 0, after.toString());
        assertTrue(number(after, "value") > 0.5, "a pruned, briefly fine-tuned teacher still classifies: " + after);

        Graph g = OnnxImporter.read(out);
        Map<String, Tensor> weights = Safetensors.read(tmp.resolve("pruned.safetensors"));
        assertEquals(g.initializers().keySet(), weights.keySet());
        for (Map.Entry<String, Tensor> e : weights.entrySet()) {
            assertArrayEquals(g.initializer(e.getKey()).data(), e.getValue().data(), 0f, e.getKey());
        }

        DataCatalog.Source source = DataCatalog.open("fashion-mnist", null, System.err);
        Dataset test = source.test().load().first(300);
        Tensor x;
        try (DataLoader loader = new DataLoader(test, DataLoader.Settings.evaluation(100, source.normalize()));
             DataLoader.Epoch epoch = loader.epoch(0)) {
            x = epoch.next().images();
        }
        Tensor ours;
        try (CompiledGraph compiled = CompiledGraph.compile(g)) {
            ours = compiled.run(x);
        }
        assertArrayEquals(new int[] {100, 10}, ours.shape(), "the classifier keeps its 10 classes, batch open");
        GraphModule asModule = new GraphModule(g);
        asModule.eval();
        Tensor module = asModule.forward(x);
        Tensor ort = OrtRunner.run(Files.readAllBytes(out), Map.of(g.inputs().get(0).name(), x),
                OrtSession.SessionOptions.OptLevel.ALL_OPT).get(g.outputs().get(0));
        double worst = 0;
        for (int i = 0; i < ours.size(); i++) {
            worst = Math.max(worst, Math.abs(ours.data()[i] - ort.data()[i]));
            assertEquals(module.data()[i], ours.data()[i], 1e-3, "compiled and module differ at " + i);
        }
        assertTrue(worst < 1e-3, "max |ours - ONNX Runtime| " + worst);

        CliRun eval = CliRun.of("eval", "--model", out.toString(), "--dataset", "fashion-mnist", "--limit", "300",
                "--json");
        assertEquals(0, eval.code(), eval.err());
        assertEquals(number(after, "value"), number(JSON.std.mapFrom(eval.out()), "accuracy"), 1e-9,
                "the file written is the model that was scored");
    }

    @Test
    void globalSparsityWithoutFineTuningPrintsBothSides() {
        Path out = tmp.resolve("p.onnx");
        CliRun r = CliRun.of("prune", "--model", "default", "--dataset", "fashion-mnist", "--sparsity", "0.3",
                "--global", "--criterion", "BN_SCALE", "--round-to", "4", "--finetune-epochs", "0",
                "--test-limit", "100", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("before") && r.out().contains("after") && r.out().contains("of the FLOPs"),
                r.out());
        assertTrue(Files.isRegularFile(out) && Files.isRegularFile(tmp.resolve("p.safetensors")), r.out());
        assertTrue(r.err().contains("global, BN_SCALE, multiples of 4"), r.err());
    }

    @Test
    void badUsageExitsTwoAndAnUnreachableTargetOne() {
        String o = tmp.resolve("x.onnx").toString();
        assertEquals(2, CliRun.of("prune", "--model", "default", "--dataset", "fashion-mnist", "--out", o).code(),
                "--target-flops or --sparsity is required");
        assertEquals(2, CliRun.of("prune", "--model", "default", "--dataset", "fashion-mnist", "--sparsity", "0.5",
                "--target-flops", "0.5", "--out", o).code());
        assertEquals(2, CliRun.of("prune", "--model", "default", "--dataset", "fashion-mnist", "--uniform",
                "--global", "--sparsity", "0.5", "--out", o).code());
        assertEquals(2, CliRun.of("prune", "--model", "default", "--dataset", "fashion-mnist", "--target-flops",
                "1.5", "--out", o).code());
        assertEquals(2, CliRun.of("prune", "--model", "default", "--dataset", "fashion-mnist", "--sparsity", "0.5",
                "--out", tmp.resolve("x.txt").toString()).code());
        CliRun r = CliRun.of("prune", "--model", "default", "--dataset", "fashion-mnist", "--target-flops", "0.0001",
                "--test-limit", "10", "--out", o);
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("cannot reach 0.000"), r.err());
        assertTrue(!Files.exists(tmp.resolve("x.onnx")), "nothing written on failure");
    }

    private static double number(Map<?, ?> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }
}
