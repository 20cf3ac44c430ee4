package org.legodnn.core.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.legodnn.core.blocks.BlockExtractor;
import org.legodnn.core.latency.LatencyProfile;
import org.legodnn.core.latency.LatencyStats;
import org.legodnn.core.online.MemoryMeasure;
import org.legodnn.core.online.StoreProblem;
import org.legodnn.core.optimize.BranchAndBound;
import org.legodnn.core.optimize.ScalingProblem;
import org.legodnn.core.optimize.Selection;
import org.legodnn.core.prune.BlockOptions;
import org.legodnn.core.prune.ComposedModel;
import org.legodnn.core.prune.Descendant;
import org.legodnn.core.prune.Precision;
import org.legodnn.core.prune.PruningCriterion;
import org.legodnn.graph.Op;
import org.legodnn.tensor.Tensor;

/**
 * A store whose blocks offer int8 variants: they are QDQ graphs that compute nearly what their fp32 descendants
 * do, count a byte per weight, survive the store's round trip, and let the optimizer meet a memory budget that no
 * fp32 composition meets.
 */
class Int8StoreTest {

    private static TinyTeacher t;
    private static List<List<Descendant>> options;
    private static StoreContents contents;

    @BeforeAll
    static void quantizeAndProfile() throws IOException {
        t = new TinyTeacher(64, 32);
        options = Int8Variants.add(t.graph, t.blocks, t.descendants, t.train, t.normalize, 32, null);
        Profiles p = Profiler.profile(t.graph, t.blocks, options, TinyTeacher.SPARSITIES, t.test, t.normalize, 32, null);
        int n = TinyTeacher.SPARSITIES.length;
        List<List<LatencyStats>> ms = t.blocks.stream().map(b -> {
            List<LatencyStats> row = new java.util.ArrayList<>();
            for (int o = 0; o < 2 * n; o++) {
                double v = 1.0 - 0.1 * o;
                row.add(new LatencyStats(v, v, v, 3));
            }
            return row;
        }).toList();
        contents = new StoreContents("cifar_resnet8", "fashion-mnist", t.graph, t.blocks, options,
                TinyTeacher.SPARSITIES, BlockExtractor.DEFAULT_MAX_RATIO, PruningCriterion.L1_NORM, t.normalize, null, p,
                LatencyProfile.of(ms, new LatencyStats(4, 4, 4, 3), 1));
    }

    @Test
    void everyDescendantGainsAnInt8VariantAfterTheFp32Ones() {
        int n = TinyTeacher.SPARSITIES.length;
        BlockOptions o = contents.options();
        assertEquals(List.of(Precision.FP32, Precision.INT8), o.precisions());
        assertEquals(2 * n, o.count());
        for (List<Descendant> ds : options) {
            for (int k = 0; k < n; k++) {
                Descendant fp32 = ds.get(k);
                Descendant int8 = ds.get(n + k);
                assertEquals(Precision.INT8, int8.precision());
                assertEquals(fp32.sparsity(), int8.sparsity());
                assertEquals(fp32.params(), int8.params());
                assertTrue(int8.graph().nodes().stream().anyMatch(x -> x.op() == Op.QUANTIZE_DEQUANTIZE));
                assertFalse(fp32.graph().nodes().stream().anyMatch(x -> x.op() == Op.QUANTIZE_DEQUANTIZE));
            }
        }
    }

    @Test
    void int8CompositionComputesNearlyWhatFp32Does() {
        int n = TinyTeacher.SPARSITIES.length;
        ComposedModel m = new ComposedModel(t.graph, t.blocks, options);
        Tensor x = Tensor.randn(new Random(5), 4, 1, 28, 28);
        int[] fp32 = new int[t.blocks.size()];
        int[] int8 = new int[t.blocks.size()];
        Arrays.fill(int8, n);
        float[] a = m.finish(m.start(x), 0, fp32).data();
        float[] b = m.finish(m.start(x), 0, int8).data();
        double scale = 0;
        double err = 0;
        for (int i = 0; i < a.length; i++) {
            scale = Math.max(scale, Math.abs(a[i]));
            err = Math.max(err, Math.abs(a[i] - b[i]));
        }
        assertTrue(err > 0, "int8 rounds something");
        assertTrue(err < 0.1 * scale, "int8 logits within 10% of fp32's range: error " + err + ", range " + scale);
    }

    @Test
    void int8RowsCountAByteAPerWeight() {
        Profiles p = contents.profiles();
        int n = TinyTeacher.SPARSITIES.length;
        assertEquals(t.blocks.size() * 2 * n, p.rows().size());
        for (int i = 0; i < p.blocks(); i++) {
            for (int k = 0; k < n; k++) {
                BlockProfile fp32 = p.row(i, k);
                BlockProfile int8 = p.row(i, n + k);
                assertEquals(Precision.INT8, int8.precision());
                assertTrue(int8.sizeBytes() < 0.4 * fp32.sizeBytes(), fp32 + " vs " + int8);
                assertTrue(int8.sizeBytes() > 0.25 * fp32.sizeBytes() * 0.5, fp32 + " vs " + int8);
            }
        }
    }

    @Test
    void roundTripKeepsTheInt8Options(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("store");
        BlockStore.write(dir, contents);
        assertTrue(Files.exists(dir.resolve("blocks").resolve(BlockStore.descendantFile(t.blocks.get(0).index(), 0.4,
                Precision.INT8))));
        StoredBlocks s = BlockStore.read(dir);
        assertEquals(contents.options(), s.options());
        assertEquals(contents.profiles().rows(), s.profiles().rows());
        assertEquals(contents.profiles().tested(), s.profiles().tested());
        StoreContents back = s.contents();
        int n = TinyTeacher.SPARSITIES.length;
        int[] int8 = new int[t.blocks.size()];
        Arrays.fill(int8, n + 1);
        Tensor x = Tensor.randn(new Random(7), 2, 1, 28, 28);
        ComposedModel before = new ComposedModel(t.graph, t.blocks, options);
        ComposedModel after = new ComposedModel(back.teacher(), back.blocks(), back.descendants());
        float[] a = before.finish(before.start(x), 0, int8).data();
        float[] b = after.finish(after.start(x), 0, int8).data();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-4 * (1 + Math.abs(a[i])), "logit " + i);
        }
        assertEquals(Profiler.storedBytes(options.get(1).get(n + 1).module().graph()),
                Profiler.storedBytes(back.descendants().get(1).get(n + 1).module().graph()));
    }

    @Test
    void anFp32StoreIsWrittenAsBefore(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("store");
        BlockStore.write(dir, contents.fp32Only());
        String index = Files.readString(dir.resolve(BlockStore.INDEX), StandardCharsets.UTF_8);
        assertFalse(index.contains("precision"), index);
        StoredBlocks s = BlockStore.read(dir);
        assertEquals(BlockOptions.fp32(TinyTeacher.SPARSITIES), s.options());
        assertEquals(TinyTeacher.SPARSITIES.length, s.contents().descendants().get(0).size());
    }

    @Test
    void aMemoryBudgetBelowEveryFp32CompositionIsMetInInt8() {
        Profiles p = contents.profiles();
        LatencyProfile l = contents.latency();
        ScalingProblem free = StoreProblem.of(p, l, MemoryMeasure.PARAMETERS, 0, false, Double.POSITIVE_INFINITY,
                Double.POSITIVE_INFINITY);
        int n = TinyTeacher.SPARSITIES.length;
        double smallestFp32 = free.frameMemory();
        for (int i = 0; i < free.blocks(); i++) {
            double least = Double.POSITIVE_INFINITY;
            for (int k = 0; k < n; k++) {
                least = Math.min(least, free.memory(i, k));
            }
            smallestFp32 += least;
        }
        Selection s = BranchAndBound.solve(free.withBudgets(Double.POSITIVE_INFINITY, 0.98 * smallestFp32));
        assertTrue(s.feasible(), "an int8 composition fits");
        assertTrue(s.memory() <= 0.98 * smallestFp32);
        assertTrue(Arrays.stream(s.choice()).anyMatch(o -> o >= n), Arrays.toString(s.choice()));
    }
}
