package org.legodnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.legodnn.nn.models.CifarResNet;
import org.legodnn.nn.train.Checkpoint;

/** A block store for tests that need one: {@code offline} on a random ResNet-8 (1×28×28), two sparsities, seconds. */
final class TinyStore {

    private TinyStore() {
    }

    /**
     * Writes the teacher's weights and the store under {@code tmp}, {@code more} options given to {@code offline}
     * (e.g. {@code --precisions fp32,int8}); returns the store's directory.
     */
    static Path build(Path tmp, String... more) throws Exception {
        Path weights = tmp.resolve("resnet8.safetensors");
        Checkpoint.writeWeights(weights, new CifarResNet(8, 1, 10), Map.of());
        Path store = tmp.resolve("store");
        List<String> args = new ArrayList<>(List.of("offline", "--model", "cifar_resnet8", "--weights",
                weights.toString(), "--dataset", "fashion-mnist", "--sparsities", "0,0.5", "--out", store.toString(),
                "--epochs", "1", "--limit", "32", "--test-limit", "16", "--threads", "1"));
        args.addAll(List.of(more));
        CliRun offline = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, offline.code(), offline.err());
        return store;
    }
}
