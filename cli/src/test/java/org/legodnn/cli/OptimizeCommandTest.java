package org.legodnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.legodnn.core.latency.LatencyProfile;
import org.legodnn.core.offline.BlockStore;
import org.legodnn.core.offline.StoredBlocks;
import org.legodnn.core.online.StoreProblem;
import org.legodnn.core.optimize.BruteForce;
import org.legodnn.core.optimize.OriginalProfiles;
import org.legodnn.core.optimize.Selection;
import org.legodnn.report.TradeoffPlot;
import org.legodnn.testing.ReferenceData;

/**
 * {@code optimize} as DESIGN.md fixes it: on the original LegoDNN's five profile files its JSON answer is the
 * brute-force optimum, MiB are 1,048,576 bytes, memory is a hard limit unless {@code --relax} says otherwise,
 * relaxation is reported, and {@code --no-relax} fails in one line.
 */
class OptimizeCommandTest {

    private static final Path ORIGINAL = ReferenceData.originalLegoDnn();

    private static Map<String, Object> json(CliRun r) throws Exception {
        assertEquals(0, r.code(), r.err());
        return JSON.std.mapFrom(r.out().trim());
    }

    @Test
    void answersTheBruteForceOptimumOnTheOriginalsProfiles() throws Exception {
        OriginalProfiles o = OriginalProfiles.read(ORIGINAL);
        for (String[] budget : new String[][] {{"4.0", "30"}, {"4.3", "20"}, {"4.5", "40"}, {"3.8", "25"}}) {
            double l = Double.parseDouble(budget[0]);
            double m = Double.parseDouble(budget[1]);
            Map<String, Object> j = json(CliRun.of("optimize", "--profiles", ORIGINAL.toString(), "--latency-ms",
                    budget[0], "--memory-mb", budget[1], "--json"));
            assertEquals(List.of("selection", "accuracy_drop", "latency_ms", "memory_bytes", "relaxed", "solve_ms"),
                    List.copyOf(j.keySet()));
            Selection best = BruteForce.solve(StoreProblem.clampDrops(o.problem(l, m * 1024 * 1024)));
            assertTrue(best.feasible(), "budget " + l + " ms " + m + " MiB");
            assertEquals(best.accuracyDrop(), ((Number) j.get("accuracy_drop")).doubleValue(), 1e-12);
            assertEquals(false, j.get("relaxed"));
            assertTrue(((Number) j.get("latency_ms")).doubleValue() <= l * (1 + 1e-9));
            assertTrue(((Number) j.get("memory_bytes")).doubleValue() <= m * 1024 * 1024 * (1 + 1e-9));
            List<?> sel = (List<?>) j.get("selection");
            assertEquals(8, sel.size());
            for (int i = 0; i < 8; i++) {
                assertEquals(o.sparsity(i, best.choice()[i]), ((Number) sel.get(i)).doubleValue(), 1e-12);
            }
        }
    }

    @Test
    void memoryIsAHardLimitUnlessTheUserRelaxesIt() throws Exception {
        double mib = 1024 * 1024;
        // 2 ms cannot be met within 12 MiB: by default latency gives way, memory does not
        Map<String, Object> byLatency = json(CliRun.of("optimize", "--profiles", ORIGINAL.toString(), "--latency-ms", "2",
                "--memory-mb", "12", "--json"));
        assertEquals(true, byLatency.get("relaxed"));
        assertTrue(((Number) byLatency.get("memory_bytes")).doubleValue() <= 12 * mib, byLatency.toString());
        assertTrue(((Number) byLatency.get("latency_ms")).doubleValue() > 2, byLatency.toString());
        // the original's order loosens memory first
        Map<String, Object> byMemory = json(CliRun.of("optimize", "--profiles", ORIGINAL.toString(), "--latency-ms", "2",
                "--memory-mb", "12", "--relax", "memory", "--json"));
        assertEquals(true, byMemory.get("relaxed"));
        assertTrue(((Number) byMemory.get("memory_bytes")).doubleValue() > 12 * mib, byMemory.toString());

        // 5 MiB is below the smallest composition: only --relax memory or both can answer
        CliRun tooSmall = CliRun.of("optimize", "--profiles", ORIGINAL.toString(), "--latency-ms", "1", "--memory-mb",
                "5", "--json");
        assertEquals(1, tooSmall.code(), tooSmall.out());
        assertTrue(tooSmall.err().contains("the smallest") && tooSmall.err().contains("--relax memory"), tooSmall.err());
        assertEquals(1, tooSmall.err().trim().lines().count(), tooSmall.err());
        for (String policy : new String[] {"memory", "both", "BOTH"}) {
            assertEquals(true, json(CliRun.of("optimize", "--profiles", ORIGINAL.toString(), "--latency-ms", "1",
                    "--memory-mb", "5", "--relax", policy, "--json")).get("relaxed"), policy);
        }
        for (String none : new String[] {"--no-relax", "--relax=none"}) {
            CliRun strict = CliRun.of("optimize", "--profiles", ORIGINAL.toString(), "--latency-ms", "1", "--memory-mb",
                    "5", "--json", none);
            assertEquals(1, strict.code());
            assertTrue(strict.err().contains("no composition meets"), strict.err());
            assertEquals(1, strict.err().trim().lines().count(), strict.err());
            assertFalse(strict.out().contains("{"), "nothing on stdout");
        }
        assertEquals(2, CliRun.of("optimize", "--profiles", ORIGINAL.toString(), "--latency-ms", "1", "--memory-mb", "5",
                "--relax", "sometimes").code());
    }

    @Test
    void plotMarksTheChoice(@TempDir Path tmp) throws Exception {
        Path png = tmp.resolve("choice.png");
        CliRun r = CliRun.of("optimize", "--profiles", ORIGINAL.toString(), "--latency-ms", "4", "--memory-mb", "30",
                "--plot", png.toString());
        assertEquals(0, r.code(), r.err());
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(TradeoffPlot.WIDTH, image.getWidth());
        assertEquals(0.7847, OriginalProfiles.read(ORIGINAL).teacherAccuracy(), 1e-4, "the teacher's test_accuracy");
    }

    @Test
    void recalibrateBudgetsWithTheProfileRescaledToThisMachine(@TempDir Path tmp) throws Exception {
        Path store = TinyStore.build(tmp);
        StoredBlocks stored = BlockStore.read(store);
        LatencyProfile profiled = stored.latency();
        // a budget that every composition meets: the answer is the most accurate one whatever the factor
        Map<String, Object> o = json(CliRun.of("optimize", "--profiles", store.toString(), "--latency-ms", "1e6",
                "--memory-mb", "1e6", "--recalibrate", "--json"));
        double factor = ((Number) o.get("recalibration_factor")).doubleValue();
        assertTrue(factor > 0 && Double.isFinite(factor), o.toString());
        List<?> sparsities = (List<?>) o.get("selection");
        int[] selection = new int[sparsities.size()];
        double[] known = stored.sparsities();
        for (int i = 0; i < selection.length; i++) {
            double s = ((Number) sparsities.get(i)).doubleValue();
            while (known[selection[i]] != s) {
                selection[i]++;
            }
        }
        assertEquals(factor * profiled.estimateMs(selection), ((Number) o.get("latency_ms")).doubleValue(),
                1e-9 * profiled.estimateMs(selection), "the estimate comes from the profile scaled by the factor");

        CliRun text = CliRun.of("optimize", "--profiles", store.toString(), "--latency-ms", "1e6", "--memory-mb", "1e6",
                "--recalibrate");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().startsWith("recalibrated: the served model's blocks run at "), text.out());

        CliRun original = CliRun.of("optimize", "--profiles", ORIGINAL.toString(), "--latency-ms", "4", "--memory-mb",
                "30", "--recalibrate");
        assertEquals(1, original.code());
        assertTrue(original.err().contains("--recalibrate needs a block store"), original.err());
    }

    @Test
    void badUsageExitsTwo() {
        assertEquals(2, CliRun.of("optimize", "--profiles", ORIGINAL.toString(), "--latency-ms", "-1", "--memory-mb",
                "5").code());
        assertEquals(2, CliRun.of("optimize", "--profiles", "/no/such/dir", "--latency-ms", "3", "--memory-mb",
                "5").code());
        assertEquals(2, CliRun.of("optimize", "--latency-ms", "3", "--memory-mb", "5").code());
    }
}
