package org.legodnn.core.offline;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.legodnn.core.blocks.BlockExtractor;
import org.legodnn.core.prune.PruningCriterion;
import org.legodnn.graph.Graph;

/**
 * Coverage-guided fuzzing of the block store's index: a small profiled store is written once, then each input
 * replaces its {@code index.json} and the store is opened, its profiles read and its teacher and blocks
 * rebuilt. That either works or fails with IOException or IllegalArgumentException naming the file — never
 * another exception, an Error or a hang. Without {@code JAZZER_FUZZ=1} this runs once over the committed
 * inputs in {@code src/test/resources/org/legodnn/core/offline/StoreIndexFuzzTestInputs/}.
 */
class StoreIndexFuzzTest {

    private static final Path STORE = store();

    private static Path store() {
        try {
            TinyTeacher t = new TinyTeacher(16, 16);
            Profiles p = Profiler.profile(t.graph, t.blocks, t.descendants, TinyTeacher.SPARSITIES, t.test, t.normalize,
                    16, null);
            Path dir = Files.createTempDirectory("legodnn-store-fuzz").resolve("store");
            BlockStore.write(dir, new StoreContents("cifar_resnet8", "fashion-mnist", t.graph, t.blocks, t.descendants,
                    TinyTeacher.SPARSITIES, BlockExtractor.DEFAULT_MAX_RATIO, PruningCriterion.L1_NORM, t.normalize,
                    List.of(), p));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void opensAnyIndex(byte[] index) throws IOException {
        Files.write(STORE.resolve(BlockStore.INDEX), index);
        try {
            StoredBlocks s = BlockStore.read(STORE);
            s.profiles();
            Graph teacher = s.teacher();
            s.blocks(teacher);
        } catch (IOException | IllegalArgumentException expected) {
            // refused, naming the file
        }
    }
}
