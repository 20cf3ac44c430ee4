package org.legodnn.core.online;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.legodnn.core.blocks.Block;
import org.legodnn.core.blocks.BlockExtractor;
import org.legodnn.core.prune.ComposedModel;
import org.legodnn.core.prune.Descendant;
import org.legodnn.core.prune.Descendants;
import org.legodnn.core.prune.PruningCriterion;
import org.legodnn.graph.Graph;
import org.legodnn.graph.trace.Tracer;
import org.legodnn.nn.models.CifarResNet;
import org.legodnn.tensor.Tensor;

/**
 * The block switcher under load: inference threads run while another thread switches compositions as fast
 * as it can, and every output must be exactly the one its composition computes alone — a mix of two
 * compositions would match neither. Also the bookkeeping (what is loaded, what a switch reuses) and the
 * refusal of selections that name no descendant.
 */
class BlockSwitcherTest {

    static final double[] SPARSITIES = {0.0, 0.4, 0.8};

    private static Graph model;
    private static List<Block> blocks;
    private static List<List<Descendant>> descendants;

    @BeforeAll
    static void buildModel() {
        model = Tracer.trace(new CifarResNet(8, 3, 10), 1, 3, 16, 16);
        blocks = BlockExtractor.extract(model);
        descendants = Descendants.of(model, blocks, SPARSITIES, PruningCriterion.L1_NORM);
    }

    /** Every selection of one descendant per block. */
    private static List<int[]> allSelections() {
        List<int[]> out = new ArrayList<>();
        int n = blocks.size();
        int total = (int) Math.pow(SPARSITIES.length, n);
        for (int code = 0; code < total; code++) {
            int[] s = new int[n];
            for (int i = 0, c = code; i < n; i++, c /= SPARSITIES.length) {
                s[i] = c % SPARSITIES.length;
            }
            out.add(s);
        }
        return out;
    }

    @Test
    void everyInferenceSeesOneWholeCompositionWhileSwitchesRun() throws Exception {
        Tensor x = Tensor.randn(new Random(5), 2, 3, 16, 16);
        // the expected output of every selection, each computed alone on one thread
        ComposedModel reference = new ComposedModel(model, blocks, descendants);
        List<int[]> selections = allSelections();
        Map<List<Integer>, float[]> expected = new HashMap<>();
        for (int[] s : selections) {
            expected.put(key(s), reference.select(s).forward(x).data().clone());
        }
        // a mix of two compositions is itself a selection: all outputs must differ, or a mix could pass unseen
        for (int a = 0; a < selections.size(); a++) {
            for (int b = a + 1; b < selections.size(); b++) {
                float[] ea = expected.get(key(selections.get(a)));
                float[] eb = expected.get(key(selections.get(b)));
                assertTrue(maxDiff(ea, eb) > 1e-4, Arrays.toString(selections.get(a)) + " and "
                        + Arrays.toString(selections.get(b)) + " give the same output");
            }
        }

        BlockSwitcher switcher = new BlockSwitcher(new ResidentDescendants(model, blocks, descendants),
                new int[blocks.size()]);
        int readers = 3;
        int minSwitches = 400;
        int minInferences = 150;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger inferences = new AtomicInteger();
        AtomicInteger switches = new AtomicInteger();
        Set<List<Integer>> seen = ConcurrentHashMap.newKeySet();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(12); // a safety net only; counts decide
        ExecutorService pool = Executors.newFixedThreadPool(readers + 1);
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (int r = 0; r < readers; r++) {
                tasks.add(pool.submit(() -> {
                    while (!stop.get()) {
                        InferenceResult res = switcher.inferTagged(x);
                        float[] want = expected.get(key(res.selection()));
                        double d = maxRelDiff(res.output().data(), want);
                        if (!(d <= 1e-6)) {
                            failures.add("selection " + Arrays.toString(res.selection()) + " off by " + d);
                        }
                        seen.add(key(res.selection()));
                        inferences.incrementAndGet();
                    }
                    return null;
                }));
            }
            tasks.add(pool.submit(() -> {
                Random rnd = new Random(17);
                while ((switches.get() < minSwitches || inferences.get() < minInferences)
                        && System.nanoTime() < deadline) {
                    int[] s = selections.get(rnd.nextInt(selections.size()));
                    SwitchReport rep = switcher.switchTo(s);
                    assertArrayEquals(s, rep.after());
                    assertEquals(0, rep.bytesLoaded(), "resident descendants load for free");
                    switches.incrementAndGet();
                }
                stop.set(true);
                return null;
            }));
            for (Future<?> f : tasks) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            stop.set(true);
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        assertTrue(failures.isEmpty(), failures.size() + " mixed or wrong outputs, first: " + failures.peek());
        assertTrue(switches.get() >= minSwitches, "switches: " + switches.get());
        assertTrue(inferences.get() >= minInferences, "inferences: " + inferences.get());
        assertTrue(seen.size() >= 5, "distinct selections seen by inference: " + seen.size());
        assertEquals(blocks.size(), switcher.loadedCount(), "only the live selection stays loaded");
    }

    @Test
    void aSwitchReusesWhatIsLoadedAndDropsTheRest() throws Exception {
        int n = blocks.size();
        int[] zeros = new int[n];
        BlockSwitcher sw = new BlockSwitcher(new ResidentDescendants(model, blocks, descendants),
                ResidencyPolicy.preload(new int[] {2}), zeros);
        SwitchReport first = sw.firstLoad();
        assertEquals(n + 1, first.descendantsLoaded());
        assertEquals(0, first.before().length);
        assertTrue(sw.isLoaded(0, 2), "preloaded");

        int[] a = zeros.clone();
        a[0] = 2;
        a[n - 1] = 1;
        SwitchReport r = sw.switchTo(a);
        assertArrayEquals(zeros, r.before());
        assertArrayEquals(a, r.after());
        assertEquals(1, r.descendantsLoaded(), r.toString());
        assertEquals(n - 1, r.descendantsReused(), r.toString());
        assertEquals(2, r.descendantsDropped(), r.toString()); // block 0's 0 and the last block's 0
        assertTrue(sw.isLoaded(0, 2) && sw.isLoaded(n - 1, 1) && !sw.isLoaded(0, 0) && !sw.isLoaded(n - 1, 0));
        assertArrayEquals(a, sw.selection());
        for (int i = 0; i < n; i++) {
            assertSame(descendants.get(i).get(a[i]), sw.composition().descendants().get(i), "no copy: block " + i);
        }

        r = sw.switchTo(zeros);
        assertEquals(2, r.descendantsLoaded(), r.toString());
        assertTrue(sw.isLoaded(0, 2), "a preloaded descendant stays loaded when not selected");
        assertEquals(n + 1, sw.loadedCount());

        Tensor x = Tensor.randn(new Random(9), 1, 3, 16, 16);
        ComposedModel reference = new ComposedModel(model, blocks, descendants);
        // served compiled (BatchNorm folded): equal to the interpreter's composition up to float rounding
        assertArrayEquals(reference.select(zeros).forward(x).data(), sw.infer(x).data(), 1e-5f);
    }

    @Test
    void aSelectionThatNamesNoDescendantIsRefused() throws Exception {
        int n = blocks.size();
        BlockSwitcher sw = new BlockSwitcher(new ResidentDescendants(model, blocks, descendants), new int[n]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sw.switchTo(new int[n + 1]));
        assertTrue(e.getMessage().contains("selection of " + (n + 1) + " entries for " + n + " blocks"), e.getMessage());

        int[] bad = new int[n];
        bad[1] = SPARSITIES.length;
        e = assertThrows(IllegalArgumentException.class, () -> sw.switchTo(bad));
        assertTrue(e.getMessage().contains("block " + blocks.get(1).index() + " has descendants 0.."
                + (SPARSITIES.length - 1) + ", asked for " + SPARSITIES.length), e.getMessage());
        bad[1] = -1;
        e = assertThrows(IllegalArgumentException.class, () -> sw.switchTo(bad));
        assertTrue(e.getMessage().contains("asked for -1"), e.getMessage());
        assertArrayEquals(new int[n], sw.selection(), "a refused switch changes nothing");

        e = assertThrows(IllegalArgumentException.class, () -> new BlockSwitcher(
                new ResidentDescendants(model, blocks, descendants), ResidencyPolicy.preload(new int[] {7}), new int[n]));
        assertTrue(e.getMessage().contains("block " + blocks.get(0).index() + " has descendants 0.."), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BlockSwitcher(
                new ResidentDescendants(model, blocks, descendants), new int[n - 1]));
        assertTrue(e.getMessage().contains("entries for " + n + " blocks"), e.getMessage());
    }

    static List<Integer> key(int[] s) {
        return Arrays.stream(s).boxed().toList();
    }

    static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    /** The largest difference relative to {@code max(1, |b|)}; infinite when the lengths differ. */
    static double maxRelDiff(float[] a, float[] b) {
        if (b == null || a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(1.0, Math.abs(b[i])));
        }
        return m;
    }
}
