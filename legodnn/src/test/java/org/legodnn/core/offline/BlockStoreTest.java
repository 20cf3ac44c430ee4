package org.legodnn.core.offline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.legodnn.core.prune.ComposedModel;
import org.legodnn.core.prune.PruningCriterion;
import org.legodnn.core.blocks.BlockExtractor;
import org.legodnn.tensor.Tensor;

/** The block store: round trip, checksums, atomic replacement. */
class BlockStoreTest {

    private static TinyTeacher t;
    private static StoreContents contents;

    @BeforeAll
    static void profileOnce() throws IOException {
        t = new TinyTeacher(32, 48);
        // stand-in for retraining: perturb one pruned descendant so the stored weights differ from re-pruning
        Tensor w = t.descendants.get(0).get(1).module().parameters().get(0);
        w.data()[0] += 0.5f;
        Profiles p = Profiler.profile(t.graph, t.blocks, t.descendants, TinyTeacher.SPARSITIES, t.test, t.normalize, 48,
                null);
        contents = new StoreContents("cifar_resnet8", "fashion-mnist", t.graph, t.blocks, t.descendants,
                TinyTeacher.SPARSITIES, BlockExtractor.DEFAULT_MAX_RATIO, PruningCriterion.L1_NORM, t.normalize,
                List.of(new RetrainResult(0, 0.4, 1.0, 0.5, 1)), p);
    }

    @Test
    void roundTripRebuildsTheSameComposedModel(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("store");
        BlockStore.write(dir, contents);
        StoredBlocks s = BlockStore.read(dir);
        assertEquals("profiled", s.stage());
        assertArrayEquals(TinyTeacher.SPARSITIES, s.sparsities());
        assertEquals(t.normalize, s.normalize());
        Profiles p = s.profiles();
        assertEquals(contents.profiles().rows(), p.rows());
        assertEquals(contents.profiles().tested(), p.tested());
        assertEquals(contents.profiles().teacherAccuracy(), p.teacherAccuracy());

        ComposedModel back = s.composedModel();
        ComposedModel original = new ComposedModel(t.graph, t.blocks, t.descendants);
        Tensor x = Tensor.randn(new Random(3), 2, 1, 28, 28);
        for (int j = 0; j < TinyTeacher.SPARSITIES.length; j++) {
            int[] sel = new int[t.blocks.size()];
            java.util.Arrays.fill(sel, j);
            assertArrayEquals(original.select(sel).forward(x).data(), back.select(sel).forward(x).data(), 1e-5f,
                    "selection " + j);
        }
        for (String f : OriginalProfileFiles.NAMES) {
            assertTrue(s.files().contains(f), f);
        }
        try (Stream<Path> siblings = Files.list(tmp)) {
            assertEquals(List.of(dir), siblings.toList(), "no temporary directory left beside the store");
        }
    }

    @Test
    void aCorruptedFileIsNamed(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("store");
        BlockStore.write(dir, contents);
        String file = "blocks/" + BlockStore.descendantFile(t.blocks.get(1).index(), 0.8);
        byte[] bytes = Files.readAllBytes(dir.resolve(file));
        bytes[bytes.length - 1] ^= 1;
        Files.write(dir.resolve(file), bytes);
        IOException e = assertThrows(IOException.class, () -> BlockStore.read(dir));
        assertTrue(e.getMessage().contains("checksum mismatch in " + file), e.getMessage());

        Files.delete(dir.resolve(file));
        e = assertThrows(IOException.class, () -> BlockStore.read(dir));
        assertTrue(e.getMessage().contains(file + " is missing"), e.getMessage());
    }

    @Test
    void aCrashMidWriteLeavesThePreviousStoreReadable(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("store");
        StoreContents extracted = contents.withProfiles(null).withRetrained(null);
        BlockStore.write(dir, extracted);
        assertThrows(IllegalStateException.class, () -> BlockStore.write(dir, contents, 4));
        StoredBlocks s = BlockStore.read(dir);
        assertEquals("extracted", s.stage());
        assertEquals(null, s.profiles());
        try (Stream<Path> siblings = Files.list(tmp)) {
            assertEquals(List.of(dir), siblings.toList());
        }
        // a crash between the two renames: the old store sits aside under .store.old-N; reading names it but
        // does not use it in the store's place (StoreCrashStatesTest has the rest)
        Path aside = tmp.resolve(".store.old-1");
        Files.move(dir, aside);
        assertFalse(Files.exists(dir));
        IOException missing = assertThrows(IOException.class, () -> BlockStore.read(dir));
        assertTrue(missing.getMessage().contains(aside.toString()), missing.getMessage());
        // renamed back it is the old store, and a complete write replaces it
        Files.move(aside, dir);
        assertEquals("extracted", BlockStore.read(dir).stage());
        BlockStore.write(dir, contents);
        assertEquals("profiled", BlockStore.read(dir).stage());
    }

    @Test
    void neverReplacesADirectoryThatIsNotAStore(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("home");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("thesis.txt"), "precious");
        IOException e = assertThrows(IOException.class, () -> BlockStore.write(dir, contents));
        assertTrue(e.getMessage().contains("not a block store"), e.getMessage());
        assertEquals("precious", Files.readString(dir.resolve("thesis.txt")));
        Path empty = tmp.resolve("empty");
        Files.createDirectories(empty);
        BlockStore.write(empty, contents);
        assertEquals("profiled", BlockStore.read(empty).stage());
    }
}
