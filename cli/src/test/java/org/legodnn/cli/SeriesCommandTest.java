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
import org.legodnn.graph.onnx.OnnxImporter;
import org.legodnn.report.TradeoffPlot;

/** {@code series} on a block store: one optimal composition per budget, series.json, the plot and the models. */
class SeriesCommandTest {

    @Test
    void sweepsTheBudgetsAndWritesJsonPlotAndModels(@TempDir Path tmp) throws Exception {
        Path store = TinyStore.build(tmp);
        Path out = tmp.resolve("series");
        CliRun r = CliRun.of("series", "--store", store.toString(), "--out", out.toString(), "--latency-steps", "3",
                "--memory-steps", "2", "--models", "--measure");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> series = JSON.std.mapFrom(Files.readString(out.resolve("series.json")));
        assertEquals("legodnn-series", series.get("format"));
        assertEquals("cifar_resnet8", series.get("model"));
        List<?> rows = (List<?>) series.get("compositions");
        assertEquals(3 + 2 + 1, rows.size(), "3 latency budgets, 2 memory budgets, one on both");
        double previousLatency = 0;
        for (Object o : rows.subList(0, 3)) {
            Map<?, ?> row = (Map<?, ?>) o;
            double latency = ((Number) row.get("latency_ms")).doubleValue();
            assertTrue(latency <= ((Number) row.get("latency_budget_ms")).doubleValue() * (1 + 1e-9), row.toString());
            assertTrue(latency >= previousLatency - 1e-9, "a looser budget never buys a slower choice less: " + row);
            assertTrue(((Number) row.get("measured_latency_ms")).doubleValue() > 0, row.toString());
            assertEquals(1, OnnxImporter.read(out.resolve((String) row.get("model"))).inputs().size());
            previousLatency = latency;
        }
        BufferedImage png = ImageIO.read(out.resolve("tradeoff.png").toFile());
        assertEquals(TradeoffPlot.WIDTH, png.getWidth());
        assertTrue(r.out().contains("wrote"), r.out());
        assertEquals(1 + rows.size() + 1, r.out().lines().count(), "header, a row per budget, where it wrote: " + r.out());
        assertTrue(r.err().contains("series: budgets: 6/6 done in"), r.err());
    }

    @Test
    void badUsageExitsTwo(@TempDir Path tmp) {
        assertEquals(2, CliRun.of("series", "--store", tmp.resolve("none").toString(), "--out", tmp.toString()).code());
        assertEquals(2, CliRun.of("series", "--store", tmp.toString(), "--out", tmp.toString(), "--latency-steps", "0")
                .code());
    }
}
