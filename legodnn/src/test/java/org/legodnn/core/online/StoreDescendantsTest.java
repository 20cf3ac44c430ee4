package org.legodnn.core.online;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.legodnn.core.blocks.Block;
import org.legodnn.core.blocks.BlockExtractor;
import org.legodnn.core.offline.BlockStore;
import org.legodnn.core.offline.StoreContents;
import org.legodnn.core.prune.ComposedModel;
import org.legodnn.core.prune.Descendant;
import org.legodnn.core.prune.Descendants;
import org.legodnn.core.prune.PruningCriterion;
import org.legodnn.graph.Graph;
import org.legodnn.graph.trace.Tracer;
import org.legodnn.nn.models.CifarResNet;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.io.Safetensors;

/**
 * Switching over a block store read one descendant at a time: a descendant not loaded costs its file's
 * bytes, a loaded or preloaded one costs none, the outputs are those of the descendants that were written
 * (retrained weights, not re-pruned ones), and a file that fails to load leaves the live composition alone.
 */
class StoreDescendantsTest {

    private static Graph model;
    private static List<Block> blocks;
    private static List<List<Descendant>> descendants;
    private static StoreContents contents;

    @BeforeAll
    static void buildStore() {
        model = Tracer.trace(new CifarResNet(8, 3, 10), 1, 3, 16, 16);
        blocks = BlockExtractor.extract(model);
        descendants = Descendants.of(model, blocks, BlockSwitcherTest.SPARSITIES, PruningCriterion.L1_NORM);
        // stand-in for retraining: the stored weights of one pruned descendant differ from re-pruning's
        descendants.get(1).get(1).module().parameters().get(0).data()[0] += 0.5f;
        contents = new StoreContents("cifar_resnet8", "none", model, blocks, descendants, BlockSwitcherTest.SPARSITIES,
                BlockExtractor.DEFAULT_MAX_RATIO, PruningCriterion.L1_NORM, null, null, null);
    }

    @Test
    void loadsWhatIsNotLoadedAndCountsItsBytes(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("store");
        BlockStore.write(dir, contents);
        StoreDescendants source = StoreDescendants.open(dir);
        int n = blocks.size();
        assertEquals(n, source.blocks().size());
        int[] zeros = new int[n];
        BlockSwitcher sw = new BlockSwitcher(source, ResidencyPolicy.preload(new int[] {2}), zeros);
        SwitchReport first = sw.firstLoad();
        assertEquals(n + 1, first.descendantsLoaded());
        assertTrue(first.bytesLoaded() > 0, first.toString());
        assertEquals(source.bytesRead(), first.bytesLoaded());

        ComposedModel reference = new ComposedModel(model, blocks, descendants);
        Tensor x = Tensor.randn(new Random(4), 2, 3, 16, 16);
        assertArrayEquals(reference.select(zeros).forward(x).data(), sw.infer(x).data(), 1e-5f);

        // block 0 to its preloaded descendant: nothing to read
        int[] a = zeros.clone();
        a[0] = 2;
        SwitchReport r = sw.switchTo(a);
        assertEquals(0, r.bytesLoaded(), r.toString());
        assertEquals(0, r.descendantsLoaded(), r.toString());
        assertEquals(n, r.descendantsReused(), r.toString());
        assertEquals(1, r.descendantsDropped(), r.toString());
        assertArrayEquals(reference.select(a).forward(x).data(), sw.infer(x).data(), 1e-5f);

        // block 1 to the perturbed descendant: read from its file, with the stored weights
        int[] b = a.clone();
        b[1] = 1;
        r = sw.switchTo(b);
        assertEquals(1, r.descendantsLoaded(), r.toString());
        assertEquals(Files.size(source.store().descendantFile(1, 1)), r.bytesLoaded(), r.toString());
        assertArrayEquals(reference.select(b).forward(x).data(), sw.infer(x).data(), 1e-5f);

        // back to all zeros: block 0's and block 1's originals were dropped and are read again
        r = sw.switchTo(zeros);
        assertEquals(2, r.descendantsLoaded(), r.toString());
        assertTrue(r.bytesLoaded() > 0, r.toString());
        assertTrue(sw.isLoaded(0, 2) && !sw.isLoaded(1, 1));
        assertEquals(n + 1, sw.loadedCount(), "the selection and the preloaded descendant");

        // the same selection again: all loaded already
        r = sw.switchTo(zeros);
        assertEquals(0, r.bytesLoaded(), r.toString());
        assertEquals(n, r.descendantsReused(), r.toString());
        assertArrayEquals(reference.select(zeros).forward(x).data(), sw.infer(x).data(), 1e-5f);
    }

    @Test
    void aFailedLoadLeavesTheLiveComposition(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("store");
        BlockStore.write(dir, contents);
        StoreDescendants source = StoreDescendants.open(dir);
        int n = blocks.size();
        BlockSwitcher sw = new BlockSwitcher(source, new int[n]);
        // the file changes after the store was opened and verified: refused before it is parsed
        Path file = source.store().descendantFile(n - 1, 2);
        Safetensors.write(file, Map.of("stray", Tensor.zeros(3)), Map.of());
        int[] s = new int[n];
        s[0] = 1;
        s[n - 1] = 2;
        IOException e = assertThrows(IOException.class, () -> sw.switchTo(s));
        assertTrue(e.getMessage().contains(dir.relativize(file).toString().replace('\\', '/') + " changed since"),
                e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertArrayEquals(new int[n], sw.selection());
        assertFalse(sw.isLoaded(0, 1), "what the failed switch loaded is dropped again");
        assertEquals(n, sw.loadedCount());
    }

    @Test
    void openingAndSwitchingNeitherSearchesNorPrunes(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("store");
        BlockStore.write(dir, contents);
        long searches = BlockExtractor.searchCount();
        long pruned = Descendants.prunedBlockCount();
        int n = blocks.size();
        BlockSwitcher sw = new BlockSwitcher(StoreDescendants.open(dir), new int[n]);
        ComposedModel reference = new ComposedModel(model, blocks, descendants);
        Tensor x = Tensor.randn(new Random(5), 1, 3, 16, 16);
        for (int j = 0; j < BlockSwitcherTest.SPARSITIES.length; j++) {
            int[] s = new int[n];
            Arrays.fill(s, j);
            sw.switchTo(s);
            assertArrayEquals(reference.select(s).forward(x).data(), sw.infer(x).data(), 1e-5f, "every block at " + j);
        }
        assertEquals(searches, BlockExtractor.searchCount(), "block extractions while opening and switching");
        assertEquals(pruned, Descendants.prunedBlockCount(), "blocks pruned while opening and switching");
    }
}
