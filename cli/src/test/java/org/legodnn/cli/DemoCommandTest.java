package org.legodnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.legodnn.LegoDnn;
import org.legodnn.core.offline.BlockStore;
import org.legodnn.core.online.LegoDnnRuntime;

/**
 * {@code demo} end to end on a shortened budget (few images, one epoch): it exits 0, prints the table and the
 * live-switching summary, and leaves a profiled store, a report whose rows are within their budgets or marked
 * relaxed, and a PNG plot.
 */
class DemoCommandTest {

    @Test
    void runsThePipelineAndWritesTheReport(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("demo");
        CliRun r = CliRun.of("demo", "--out", out.toString(), "--retrain-images", "64", "--epochs", "1",
                "--test-images", "64", "--inference-threads", "2", "--load-seconds", "0.5");
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("[5/5] live switches"), r.out());
        assertTrue(r.out().contains("serve within"), r.out());
        assertTrue(r.out().contains("0 differed"), r.out());

        assertEquals("profiled", BlockStore.read(out.resolve("store")).stage());
        Map<String, Object> report = JSON.std.mapFrom(Files.readString(out.resolve("report.json")));
        assertEquals("legodnn-demo-report", report.get("format"));
        List<?> rows = (List<?>) report.get("rows");
        assertEquals(9, rows.size());
        for (Object o : rows) {
            Map<?, ?> row = (Map<?, ?>) o;
            double measured = ((Number) row.get("measured_accuracy")).doubleValue();
            assertTrue(measured >= 0 && measured <= 1, row.toString());
            assertTrue(((Number) row.get("measured_latency_ms")).doubleValue() > 0, row.toString());
            Object budget = row.get("latency_budget_ms");
            if (budget != null && !(Boolean) row.get("relaxed")) {
                assertTrue(((Number) row.get("estimated_latency_ms")).doubleValue()
                        <= ((Number) budget).doubleValue() * (1 + 1e-9), row.toString());
            }
        }
        Map<?, ?> live = (Map<?, ?>) report.get("live_switching");
        assertEquals(0, ((Number) live.get("mismatches")).intValue());
        assertTrue(((Number) live.get("inferences")).longValue() > 0, live.toString());

        Map<?, ?> load = (Map<?, ?>) report.get("load");
        assertTrue(((List<?>) load.get("samples")).size() >= 4, load.toString());
        assertTrue(!((List<?>) load.get("planned_slowdowns")).isEmpty(), load.toString());

        BufferedImage png = ImageIO.read(out.resolve("tradeoff.png").toFile());
        assertTrue(png.getWidth() > 100 && png.getHeight() > 100);

        // the demo's store holds the shipped teacher: three of its compositions exported, run and served alike
        Path store = out.resolve("store");
        try (LegoDnnRuntime served = LegoDnn.open(store)) {
            int blocks = served.switcher().blocks().size();
            int[] thinnest = new int[blocks];
            int[] mixed = new int[blocks];
            for (int i = 0; i < blocks; i++) {
                thinnest[i] = 4;
                mixed[i] = i % 5;
            }
            for (int[] selection : new int[][] {new int[blocks], mixed, thinnest}) {
                ExportedComposition.exportAndCheck(store, selection, served, tmp);
            }
        }
    }

    @Test
    void badUsageExitsTwo() {
        assertEquals(2, CliRun.of("demo", "--test-images", "0").code());
        assertEquals(2, CliRun.of("demo", "--lr", "-1").code());
        assertEquals(2, CliRun.of("demo", "--load-seconds", "-1").code());
    }
}
