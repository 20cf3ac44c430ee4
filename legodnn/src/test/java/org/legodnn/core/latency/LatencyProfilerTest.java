package org.legodnn.core.latency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.legodnn.core.blocks.Block;
import org.legodnn.core.blocks.BlockExtractor;
import org.legodnn.core.prune.ComposedModel;
import org.legodnn.core.prune.Descendant;
import org.legodnn.core.prune.Descendants;
import org.legodnn.core.prune.PruningCriterion;
import org.legodnn.graph.Graph;
import org.legodnn.graph.trace.Tracer;
import org.legodnn.kernels.Parallel;
import org.legodnn.nn.models.CifarResNet;
import org.legodnn.nn.train.TaskProgress;
import org.legodnn.tensor.Tensor;

/**
 * A real profiling run of a CIFAR ResNet-8 on 1×28×28 images with random weights: the profile's structure
 * (every block and descendant measured inside the served model, sample counts, positive finite figures), never
 * timing relations.
 */
class LatencyProfilerTest {

    private static final double[] SPARSITIES = {0.0, 0.4, 0.8};

    @Test
    void everyDescendantAndTheWholeModelAreMeasured() {
        Graph model = Tracer.trace(new CifarResNet(8, 1, 10), 1, 1, 28, 28);
        List<Block> blocks = BlockExtractor.extract(model);
        List<List<Descendant>> descendants = Descendants.of(model, blocks, SPARSITIES, PruningCriterion.L1_NORM);
        LatencyProfiler.Settings settings = new LatencyProfiler.Settings(2, 5, 1000, 50, 7);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        LatencyProfile p = LatencyProfiler.profile(model, blocks, descendants, settings,
                TaskProgress.notesOn(new PrintStream(log, true, StandardCharsets.UTF_8)));

        assertEquals(blocks.size(), p.blockCount());
        assertEquals(1, p.batchSize());
        assertEquals(Parallel.threads(), p.threads());
        assertEquals("cpu", p.backend());
        check(p.whole(), 5); // on the CPU the whole model is the sum of every step of the same timed calls
        double sum = 0;
        for (int i = 0; i < blocks.size(); i++) {
            assertEquals(SPARSITIES.length, p.descendantCount(i), "block " + i);
            for (int j = 0; j < SPARSITIES.length; j++) {
                check(p.stats(i, j), 5);
                assertTrue(Double.isFinite(p.relativeDrop(i, j)));
            }
            sum += p.blockMs(i, 0);
        }
        assertEquals(Math.max(0, p.wholeMs() - sum), p.frameMs(), 1e-12);
        int[] original = new int[blocks.size()];
        assertEquals(Math.max(p.wholeMs(), sum), p.estimateMs(original), 1e-9);
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("JIT warm-up") && text.contains("latency whole model"), text);
        for (Block b : blocks) {
            assertTrue(text.contains("latency block-" + b.index() + " "), text);
        }
        assertEquals(p, LatencyProfileJson.read(LatencyProfileJson.write(p)));

        // the live blocks of a composed model, observed and fed back: a finite positive factor
        ComposedModel composed = new ComposedModel(model, blocks, descendants);
        int[] selection = new int[blocks.size()];
        selection[0] = 2;
        double[] observed = LatencyProfiler.observe(composed, selection, settings);
        Recalibration.Result r = Recalibration.scale(p, observed, selection);
        assertTrue(r.factor() > 0 && Double.isFinite(r.factor()), "factor " + r.factor());
        assertTrue(r.keptCount() >= 1);
        assertThrows(IllegalArgumentException.class, () -> LatencyProfiler.observe(composed, new int[1], settings));
    }

    /** A model that folds three snippets per clip into the batch ({@code tsn_resnet18}) is profiled in the model. */
    @Test
    void aModelThatFoldsSnippetsIntoTheBatchIsProfiled() {
        Graph model = Tracer.trace(org.legodnn.nn.models.ModelZoo.create("tsn_resnet18", 8, 8), 1, 8, 48, 48);
        List<Block> blocks = BlockExtractor.extract(model);
        List<List<Descendant>> descendants = Descendants.of(model, blocks, new double[] {0.0, 0.8},
                PruningCriterion.L1_NORM);
        LatencyProfiler.Settings settings = new LatencyProfiler.Settings(1, 3, 1000, 10, 7);
        LatencyProfile p = LatencyProfiler.profile(model, blocks, descendants, settings, null);
        assertEquals(8, p.blockCount());
        for (int i = 0; i < blocks.size(); i++) {
            check(p.stats(i, 1), 3);
        }
        int[] thinnest = new int[blocks.size()];
        java.util.Arrays.fill(thinnest, 1);
        double[] observed = LatencyProfiler.observe(new ComposedModel(model, blocks, descendants), thinnest, settings);
        for (double ms : observed) {
            assertTrue(ms > 0 && Double.isFinite(ms), java.util.Arrays.toString(observed));
        }
    }

    @Test
    void runBlockComputesWhatTheComposedModelDoes() {
        Graph model = Tracer.trace(new CifarResNet(8, 1, 10), 1, 1, 28, 28);
        List<Block> blocks = BlockExtractor.extract(model);
        List<List<Descendant>> descendants = Descendants.of(model, blocks, SPARSITIES, PruningCriterion.L1_NORM);
        ComposedModel composed = new ComposedModel(model, blocks, descendants);
        Tensor x = Tensor.randn(new java.util.Random(3), 2, 1, 28, 28);
        int[] sel = new int[blocks.size()];
        sel[0] = 1;
        var state = composed.start(x);
        Block first = blocks.get(0);
        composed.advance(state, 0, first.firstNode(), sel);
        Tensor in = state.get(first.inputValue());
        var after = new java.util.HashMap<>(state);
        composed.advance(after, first.firstNode(), first.lastNode() + 1, sel);
        org.junit.jupiter.api.Assertions.assertArrayEquals(after.get(first.outputValue()).data(),
                composed.runBlock(0, 1, in).data());
    }

    @Test
    void timingHonoursTheCounts() {
        int[] calls = {0};
        LatencyStats s = LatencyProfiler.time(() -> calls[0]++, new LatencyProfiler.Settings(3, 4, 1000, 0, 0));
        assertEquals(7, calls[0]);
        assertEquals(4, s.samples());
        // a cap far below one run's time still leaves the minimum of 3 timed runs
        calls[0] = 0;
        s = LatencyProfiler.time(() -> {
            calls[0]++;
            Thread.onSpinWait();
            return null;
        }, new LatencyProfiler.Settings(0, 10, 1e-9, 0, 0));
        assertEquals(3, s.samples());
        assertThrows(IllegalArgumentException.class, () -> new LatencyProfiler.Settings(-1, 1, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new LatencyProfiler.Settings(0, 0, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new LatencyProfiler.Settings(0, 1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new LatencyProfiler.Settings(0, 1, 1, -1, 0));
        calls[0] = 0;
        assertEquals(1, LatencyProfiler.warmUp(() -> calls[0]++, 0), "JIT warm-up runs at least once");
        assertEquals(1, calls[0]);
    }

    private static void check(LatencyStats s, int samples) {
        assertEquals(samples, s.samples(), s.toString());
        assertTrue(s.medianMs() > 0 && Double.isFinite(s.medianMs()), s.toString());
        assertTrue(s.p10Ms() > 0 && s.p90Ms() >= s.p10Ms() && Double.isFinite(s.p90Ms()), s.toString());
    }
}
