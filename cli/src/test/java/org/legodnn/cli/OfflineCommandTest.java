package org.legodnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.legodnn.LegoDnn;
import org.legodnn.core.offline.BlockStore;
import org.legodnn.core.offline.StoredBlocks;
import org.legodnn.core.online.LegoDnnRuntime;
import org.legodnn.core.online.UpdateResult;
import org.legodnn.nn.models.CifarResNet;
import org.legodnn.nn.train.Checkpoint;
import org.legodnn.tensor.Tensor;

/**
 * {@code offline}, {@code extract}, {@code retrain} and {@code profile} on a tiny teacher: exit codes and the store
 * they leave, which {@link LegoDnn#open} serves.
 */
class OfflineCommandTest {

    @TempDir
    static Path tmp;
    private static Path weights;

    @BeforeAll
    static void teacher() throws Exception {
        weights = tmp.resolve("resnet8.safetensors");
        Checkpoint.writeWeights(weights, new CifarResNet(8, 1, 10), Map.of());
    }

    private static String[] teacherArgs(String command, String... more) {
        String[] base = {command, "--model", "cifar_resnet8", "--weights", weights.toString(), "--dataset",
            "fashion-mnist", "--sparsities", "0,0.5"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void offlineRunsAllStagesAndWritesAProfiledStore() throws Exception {
        Path out = tmp.resolve("offline-store");
        CliRun r = CliRun.of(teacherArgs("offline", "--out", out.toString(), "--epochs", "1", "--limit", "64",
                "--test-limit", "32", "--threads", "1"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wall time: extract"), r.out());
        assertTrue(r.out().contains("drop@0.5"), r.out());
        // stdout carries only results; the progress goes to stderr, as plain lines (no terminal here)
        for (String progress : new String[] {"retrain epoch", "profile block-", "latency", "extract:"}) {
            assertTrue(!r.out().contains(progress), progress + " on stdout: " + r.out());
        }
        assertTrue(r.err().contains("retrain epoch 1/1: ") && r.err().contains(" done in "), r.err());
        assertTrue(r.err().contains("profile accuracy, environment 3/3") && r.err().contains("profile block-"), r.err());
        assertTrue(r.err().contains("latency in the model on cpu: 2/2 done in"), r.err());
        assertTrue(!r.err().contains("\r"), "no carriage returns in a log: " + r.err());
        StoredBlocks s = BlockStore.read(out);
        assertEquals("profiled", s.stage());
        assertTrue(Files.isRegularFile(out.resolve("server-blocks-metrics.csv")));

        // the library's entry point serves that store: before an update the teacher, after it the chosen composition
        LegoDnnRuntime model = LegoDnn.open(out);
        Tensor x = Tensor.randn(new Random(1), 2, 1, 28, 28);
        int[] original = new int[s.profiles().blocks()];
        assertArrayEquals(s.composedModel().select(original).forward(x).data(), model.infer(x).data(), 1e-5f);
        UpdateResult u = model.update(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
        assertArrayEquals(s.composedModel().select(u.selection()).forward(x).data(), model.infer(x).data(), 1e-5f);
    }

    @Test
    void extractRetrainProfileOneByOne() throws Exception {
        Path out = tmp.resolve("staged-store");
        CliRun e = CliRun.of(teacherArgs("extract", "--out", out.toString()));
        assertEquals(0, e.code(), e.err());
        assertEquals("extracted", BlockStore.read(out).stage());
        CliRun r = CliRun.of("retrain", "--store", out.toString(), "--epochs", "1", "--limit", "32", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertEquals("retrained", BlockStore.read(out).stage());
        CliRun p = CliRun.of("profile", "--store", out.toString(), "--test-limit", "16", "--threads", "1");
        assertEquals(0, p.code(), p.err());
        assertEquals("profiled", BlockStore.read(out).stage());
    }

    @Test
    void badUsageExitsTwoAndFailuresExitOne() {
        Path out = tmp.resolve("never");
        CliRun bad = CliRun.of("offline", "--model", "cifar_resnet8", "--weights", weights.toString(), "--dataset",
                "fashion-mnist", "--out", out.toString(), "--sparsities", "0.2,0.4");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("--sparsities"), bad.err());
        assertEquals(2, CliRun.of("offline", "--model", "nosuchnet", "--dataset", "fashion-mnist", "--out",
                out.toString()).code());
        assertEquals(2, CliRun.of("offline", "--model", "cifar_resnet8", "--dataset", "fashion-mnist", "--out",
                out.toString()).code(), "a model name needs --weights");
        CliRun missing = CliRun.of("profile", "--store", tmp.resolve("no-store").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("index.json"), missing.err());
        assertEquals(0, CliRun.of("offline", "--help").code());
        assertTrue(!Files.exists(out));
    }
}
