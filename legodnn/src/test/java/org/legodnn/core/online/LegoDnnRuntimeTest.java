package org.legodnn.core.online;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.legodnn.core.blocks.Block;
import org.legodnn.core.blocks.BlockExtractor;
import org.legodnn.core.latency.LatencyProfile;
import org.legodnn.core.latency.LatencyProfiler;
import org.legodnn.core.latency.LatencyStats;
import org.legodnn.core.latency.Recalibration;
import org.legodnn.core.offline.BlockProfile;
import org.legodnn.core.offline.Profiler;
import org.legodnn.core.offline.Profiles;
import org.legodnn.core.optimize.BruteForce;
import org.legodnn.core.optimize.RelaxPolicy;
import org.legodnn.core.optimize.ScalingProblem;
import org.legodnn.core.optimize.Selection;
import org.legodnn.core.prune.ComposedModel;
import org.legodnn.core.prune.Descendant;
import org.legodnn.core.prune.Descendants;
import org.legodnn.core.prune.PruningCriterion;
import org.legodnn.graph.Graph;
import org.legodnn.graph.trace.Tracer;
import org.legodnn.nn.models.CifarResNet;
import org.legodnn.tensor.Tensor;

/**
 * The runtime's {@code update}: it poses the store's numbers as the selection problem, returns the exact
 * optimum (checked by brute force), swaps exactly that composition in, relaxes or refuses infeasible budgets,
 * honours the switching cost, and recalibrates its latency figures.
 */
class LegoDnnRuntimeTest {

    private static final double[] SPARSITIES = {0.0, 0.4, 0.8};
    private static Graph model;
    private static List<Block> blocks;
    private static List<List<Descendant>> descendants;
    private static Profiles profiles;
    private static LatencyProfile latency;

    @BeforeAll
    static void build() {
        model = Tracer.trace(new CifarResNet(8, 1, 10), 1, 1, 16, 16);
        blocks = BlockExtractor.extract(model);
        descendants = Descendants.of(model, blocks, SPARSITIES, PruningCriterion.L1_NORM);
        // synthetic but plausible figures: drops and latency shrink with sparsity; one negative drop
        List<BlockProfile> rows = new ArrayList<>();
        List<List<LatencyStats>> ms = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            List<LatencyStats> row = new ArrayList<>();
            for (int j = 0; j < SPARSITIES.length; j++) {
                Descendant d = descendants.get(i).get(j);
                double drop = j == 0 ? 0 : (i == 1 && j == 1) ? -0.01 : 0.004 * j * j * (i + 1);
                rows.add(new BlockProfile(blocks.get(i).index(), SPARSITIES[j], drop, d.params(), d.flops(),
                        Profiler.storedBytes(d.module().graph()), 1000));
                double t = (1.0 + 0.1 * i) * (1 - 0.35 * j);
                row.add(new LatencyStats(t, t * 0.9, t * 1.1, 20));
            }
            ms.add(row);
        }
        profiles = new Profiles(SPARSITIES, rows, 0.9, 0, 0, Profiler.storedBytes(model), 100, new LinkedHashMap<>());
        double whole = 0.5;
        for (List<LatencyStats> r : ms) {
            whole += r.get(0).medianMs();
        }
        latency = LatencyProfile.of(ms, new LatencyStats(whole, whole, whole, 20), 1);
    }

    private static LegoDnnRuntime runtime(LegoDnnRuntime.Settings s) throws IOException {
        BlockSwitcher sw = new BlockSwitcher(new ResidentDescendants(model, blocks, descendants), new int[blocks.size()]);
        return new LegoDnnRuntime(sw, profiles, latency, 12345, s);
    }

    @Test
    void looseBudgetsKeepTheOriginalAndTheStoreNumbersAddUp() throws IOException {
        LegoDnnRuntime rt = runtime(LegoDnnRuntime.Settings.defaults());
        ScalingProblem free = rt.problem(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
        int[] original = new int[blocks.size()];
        assertEquals(latency.wholeMs(), free.latencyOf(original), 1e-9);
        assertEquals(profiles.teacherBytes(), free.memoryOf(original), 1e-6);
        assertEquals(0.0, free.accuracyDrop(1, 1), "negative drops count as 0 by default");
        UpdateResult u = rt.update(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
        assertEquals(0.0, u.accuracyDrop());
        assertEquals(0.9, u.estimatedAccuracy());
        assertFalse(u.relaxed());
    }

    @Test
    void keepingNegativeDropsIsTheOriginalsBehaviour() throws IOException {
        LegoDnnRuntime rt = runtime(new LegoDnnRuntime.Settings(MemoryMeasure.PARAMETERS, RelaxPolicy.MEMORY, 0, true));
        UpdateResult u = rt.update(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
        assertEquals(1, u.selection()[1], "the 'better than original' descendant is taken at face value");
        assertEquals(-0.01, u.accuracyDrop(), 1e-12);
    }

    @Test
    void updateSwapsInTheProvenOptimum() throws IOException {
        LegoDnnRuntime rt = runtime(LegoDnnRuntime.Settings.defaults());
        ScalingProblem free = rt.problem(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
        int[] original = new int[blocks.size()];
        Tensor x = Tensor.randn(new Random(3), 2, 1, 16, 16);
        for (double f : new double[] {0.45, 0.6, 0.75, 0.9}) {
            double l = free.minLatency() + f * (free.latencyOf(original) - free.minLatency());
            double m = free.minMemory() + (1.2 - f) * (free.memoryOf(original) - free.minMemory());
            UpdateResult u = rt.update(l, m);
            Selection best = BruteForce.solve(rt.problem(l, m));
            assertEquals(best.objective(), u.accuracyDrop(), 1e-12, "budget " + l + " ms, " + m + " B");
            assertTrue(u.latencyMs() <= l * (1 + 1e-9) && u.memoryBytes() <= m * (1 + 1e-9), u.toString());
            assertArrayEquals(u.selection(), rt.switcher().selection(), "the chosen composition is live");
            for (int i = 0; i < blocks.size(); i++) {
                assertEquals(SPARSITIES[u.selection()[i]], u.sparsities()[i]);
            }
            Tensor expected = new ComposedModel(model, blocks, descendants).select(u.selection()).forward(x);
            assertArrayEquals(expected.data(), rt.infer(x).data(), 1e-6f);
        }
    }

    @Test
    void infeasibleBudgetsRelaxAsThePolicySaysOrFail() throws IOException {
        LegoDnnRuntime latencyOnly = runtime(LegoDnnRuntime.Settings.defaults());
        ScalingProblem free = latencyOnly.problem(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
        double roomy = free.memoryOf(new int[blocks.size()]);
        UpdateResult u = latencyOnly.update(0.01, roomy);
        assertTrue(u.relaxed() && u.latencyBudgetMs() > 0.01, u.toString());
        assertEquals(roomy, u.memoryBudgetBytes(), "by default memory is never loosened");
        assertTrue(u.memoryBytes() <= roomy && u.latencyMs() <= u.latencyBudgetMs() * (1 + 1e-9), u.toString());
        InfeasibleBudgetException tooSmall = assertThrows(InfeasibleBudgetException.class, () -> latencyOnly.update(0.01, 10));
        assertTrue(tooSmall.getMessage().contains("the smallest") && tooSmall.getMessage().contains("relax policy latency"),
                tooSmall.getMessage());

        LegoDnnRuntime original = runtime(LegoDnnRuntime.Settings.defaults().withRelax(RelaxPolicy.MEMORY));
        u = original.update(0.01, 10);
        assertTrue(u.relaxed(), u.toString());
        assertTrue(u.memoryBudgetBytes() > 10 && u.latencyBudgetMs() > 0.01, u.toString());
        assertTrue(u.latencyMs() <= u.latencyBudgetMs() * (1 + 1e-9), u.toString());

        LegoDnnRuntime strict = runtime(new LegoDnnRuntime.Settings(MemoryMeasure.PARAMETERS, RelaxPolicy.NONE, 0, false));
        int[] before = strict.switcher().selection();
        InfeasibleBudgetException e = assertThrows(InfeasibleBudgetException.class, () -> strict.update(0.01, 10));
        assertTrue(e.getMessage().contains("no composition meets"), e.getMessage());
        assertArrayEquals(before, strict.switcher().selection(), "a refused update changes nothing");
    }

    @Test
    void activationsCountWhenAskedFor() throws IOException {
        LegoDnnRuntime params = runtime(LegoDnnRuntime.Settings.defaults());
        LegoDnnRuntime both = runtime(new LegoDnnRuntime.Settings(MemoryMeasure.PARAMETERS_AND_ACTIVATIONS, RelaxPolicy.MEMORY, 0, false));
        int[] original = new int[blocks.size()];
        double a = params.problem(1, 1).memoryOf(original);
        double b = both.problem(1, 1).memoryOf(original);
        assertEquals(12345, b - a, 1e-6);
    }

    @Test
    void aSwitchingCostKeepsWhatIsLoaded() throws IOException {
        LegoDnnRuntime rt = runtime(new LegoDnnRuntime.Settings(MemoryMeasure.PARAMETERS, RelaxPolicy.MEMORY, 1.0, false));
        ScalingProblem p = rt.problem(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
        for (int i = 0; i < blocks.size(); i++) {
            assertEquals(0.0, p.switchBytes()[i][0], "the live descendant costs nothing to keep");
            assertTrue(p.switchBytes()[i][2] > 0, "the others cost their bytes");
        }
        int[] original = new int[blocks.size()];
        double l = p.latencyOf(original) * 0.97;
        UpdateResult u = rt.update(l, Double.POSITIVE_INFINITY);
        int changed = 0;
        for (int s : u.selection()) {
            changed += s == 0 ? 0 : 1;
        }
        assertEquals(1, changed, "with a heavy switching cost only one block changes: " + u);
    }

    @Test
    void recalibrationRescalesTheLatencyFigures() throws IOException {
        LegoDnnRuntime rt = runtime(LegoDnnRuntime.Settings.defaults());
        Recalibration.Result r = rt.recalibrate(new LatencyProfiler.Settings(1, 3, 200, 0, 1));
        assertTrue(r.factor() > 0 && Double.isFinite(r.factor()), "factor " + r.factor());
        assertEquals(latency.blockMs(0, 1) * r.factor(), rt.latency().blockMs(0, 1), 1e-9);
        assertTrue(r.keptCount() >= 1);
    }

    /** A device whose speed the test sets: an inference takes {@code load} times its profiled estimate. */
    private static final class SimulatedDevice {
        long now;
        double load = 1;
        private boolean starting;
        private long pending;

        /** Arms the next inference's two clock reads to be {@code ms} apart. */
        void nextInferenceTakes(double ms) {
            starting = true;
            pending = (long) (ms * 1e6);
        }

        long clock() {
            if (starting) {
                starting = false;
                return now;
            }
            now += pending;
            pending = 0;
            return now;
        }
    }

    /** Serves until {@code done} holds or {@code seconds} of simulated time pass; returns the simulated seconds. */
    private static double serveUntil(LegoDnnRuntime rt, ScalingProblem free, SimulatedDevice device, Tensor x,
                                     double seconds, java.util.function.BooleanSupplier done) {
        long start = device.now;
        while (!done.getAsBoolean() && (device.now - start) / 1e9 < seconds) {
            device.nextInferenceTakes(device.load * free.latencyOf(rt.switcher().selection()));
            rt.infer(x);
        }
        return (device.now - start) / 1e9;
    }

    @Test
    void aServingPolicyFollowsALoadAndComesBack() throws IOException {
        LegoDnnRuntime rt = runtime(LegoDnnRuntime.Settings.defaults());
        ScalingProblem free = rt.problem(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
        int[] original = new int[blocks.size()];
        double budget = 1.05 * free.latencyOf(original); // the original fits while nothing else runs
        SimulatedDevice device = new SimulatedDevice();
        rt.keepWithin(ServingPolicy.keepWithin(budget, 1e12), device::clock);
        Tensor x = Tensor.randn(new Random(8), 1, 1, 16, 16);
        assertArrayEquals(original, rt.switcher().selection());

        serveUntil(rt, free, device, x, 1.0, () -> false);
        assertArrayEquals(original, rt.switcher().selection(), "a steady device keeps its composition");
        assertEquals(1, rt.plans().size(), "no flapping: " + rt.plans());

        device.load = 2; // a competing load doubles every latency
        double took = serveUntil(rt, free, device, x, 2.0,
                () -> device.load * free.latencyOf(rt.switcher().selection()) <= budget);
        assertTrue(device.load * free.latencyOf(rt.switcher().selection()) <= budget,
                "within budget again after " + took + " s: " + rt.plans());
        assertTrue(took < 2.0, took + " s");
        double reacted = took;
        ServingPlan underLoad = rt.plans().get(rt.plans().size() - 1);
        assertEquals(2.0, underLoad.slowdown(), 0.3, underLoad.toString());

        device.load = 1; // the load ends
        took = serveUntil(rt, free, device, x, 2.0, () -> Arrays.equals(original, rt.switcher().selection()));
        assertArrayEquals(original, rt.switcher().selection(), "back to the most accurate after " + took + " s");
        assertTrue(took < 2.0, took + " s");
        System.out.printf(java.util.Locale.ROOT, "serving policy (simulated clock): within budget %.3f s after the load"
                + " began, back to the original %.3f s after it ended; %d plans%n", reacted, took, rt.plans().size());

        rt.update(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
        assertTrue(rt.plans().isEmpty(), "an explicit update hands the choice back to the caller");
    }
}
