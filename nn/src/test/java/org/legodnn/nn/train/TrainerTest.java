package org.legodnn.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.legodnn.nn.data.Augment;
import org.legodnn.nn.data.InMemoryDataset;
import org.legodnn.nn.data.Normalize;
import org.legodnn.nn.optim.SGD;
import org.legodnn.nn.schedule.CosineAnnealingLR;
import org.legodnn.tensor.Tensor;

class TrainerTest {

    @TempDir
    Path dir;

    /** Images of 8×8 whose class (0..2) is a texture: horizontal stripes, vertical stripes, a checkerboard; with noise. */
    static InMemoryDataset squares(int n, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        byte[] px = new byte[n * 64];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int k = rnd.nextInt(3);
            labels[i] = k;
            int phase = rnd.nextInt(2);
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    int on = switch (k) {
                        case 0 -> (y + phase) % 2;
                        case 1 -> (x + phase) % 2;
                        default -> (x + y + phase) % 2;
                    };
                    px[i * 64 + y * 8 + x] = (byte) (on * 180 + rnd.nextInt(60));
                }
            }
        }
        return new InMemoryDataset(px, labels, 1, 8, 8, List.of("a", "b", "c"));
    }

    private static final int EPOCHS = 3;
    private static final int BATCH = 16;

    private Trainer trainer(TinyNet net, SGD sgd, int epochs, Path ckpt, Path weights, int trainSize) {
        int steps = Trainer.stepsPerEpoch(trainSize, BATCH);
        Trainer.Options o = new Trainer.Options(epochs, BATCH, 9, new Augment(1, true), Normalize.uniform(1, 0.2f, 0.3f),
                new CosineAnnealingLR(0.2, EPOCHS * steps, 0), Trainer.ScheduleUnit.STEP, 32, ckpt, weights,
                Map.of("model", "tiny"));
        return new Trainer(net, sgd, o, Progress.NONE);
    }

    @Test
    void resumedRunEndsWithTheSameWeightsAsAnUninterruptedOne() throws IOException {
        InMemoryDataset train = squares(70, 1); // 5 batches, the last one of 6
        InMemoryDataset test = squares(20, 2);

        TinyNet straight = new TinyNet(1, 3, 4);
        SGD sgdA = new SGD(straight.parameters(), 0.2, 0.9, 5e-4, false);
        List<EpochResult> all = trainer(straight, sgdA, EPOCHS, null, null, train.size()).fit(train, test);
        assertEquals(EPOCHS, all.size());

        Path ckpt = dir.resolve("run.ckpt.safetensors");
        Path weights = dir.resolve("run.safetensors");
        TinyNet first = new TinyNet(1, 3, 4);
        SGD sgdB = new SGD(first.parameters(), 0.2, 0.9, 5e-4, false);
        trainer(first, sgdB, 1, ckpt, weights, train.size()).fit(train, test);
        assertTrue(Files.isRegularFile(ckpt) && Files.isRegularFile(weights));

        TinyNet resumed = new TinyNet(1, 3, 99); // different initial weights: all must come from the checkpoint
        SGD sgdC = new SGD(resumed.parameters(), 0.2, 0.9, 5e-4, false);
        Trainer t = trainer(resumed, sgdC, EPOCHS, ckpt, weights, train.size());
        assertEquals(1, t.resume(ckpt));
        List<EpochResult> rest = t.fit(train, test);
        assertEquals(EPOCHS - 1, rest.size());
        assertEquals(1, rest.get(0).epoch());

        Map<String, Tensor> a = straight.stateDict();
        Map<String, Tensor> c = resumed.stateDict();
        for (String name : a.keySet()) {
            assertArrayEquals(a.get(name).data(), c.get(name).data(), name);
        }
        assertEquals(all.get(EPOCHS - 1).testAccuracy(), rest.get(rest.size() - 1).testAccuracy());
        assertEquals(all.get(EPOCHS - 1).loss(), rest.get(rest.size() - 1).loss());

        Checkpoint.Contents saved = Checkpoint.read(ckpt);
        assertEquals(EPOCHS, saved.epoch());
        assertTrue(saved.resumable());
        assertEquals("tiny", saved.metadata().get("model"));
        assertEquals("0.2", saved.metadata().get("normalize_mean"));
        assertFalse(saved.optimizer().isEmpty(), "momentum buffers are saved");
        Checkpoint.Contents w = Checkpoint.read(weights);
        assertTrue(w.optimizer().isEmpty());
        assertFalse(w.resumable());
        assertEquals(a.keySet(), w.model().keySet());
        IOException e = assertThrows(IOException.class, () -> trainer(new TinyNet(1, 3, 4),
                new SGD(new TinyNet(1, 3, 4).parameters(), 0.1), 2, null, null, 70).resume(weights));
        assertTrue(e.getMessage().contains("not a training checkpoint"), e.getMessage());
    }

    @Test
    void learnsAnEasyTask() throws IOException {
        InMemoryDataset train = squares(96, 3);
        TinyNet net = new TinyNet(1, 3, 5);
        SGD sgd = new SGD(net.parameters(), 0.2, 0.9, 0, false);
        List<EpochResult> r = trainer(net, sgd, EPOCHS, null, null, train.size()).fit(train, squares(48, 4));
        assertTrue(r.get(EPOCHS - 1).loss() < r.get(0).loss(), "loss falls: " + r);
        assertTrue(r.get(EPOCHS - 1).testAccuracy() > 0.5, "better than chance: " + r);
        assertEquals(48, r.get(0).testSamples());
    }

    @Test
    void stepsPerEpochCountsThePartialBatch() {
        assertEquals(469, Trainer.stepsPerEpoch(60000, 128));
        assertEquals(2, Trainer.stepsPerEpoch(256, 128));
        assertEquals(1, Trainer.stepsPerEpoch(5, 128));
    }
}
