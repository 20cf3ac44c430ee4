package org.legodnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.legodnn.LegoDnn;
import org.legodnn.core.offline.BlockStore;
import org.legodnn.core.offline.StoredBlocks;
import org.legodnn.core.online.LegoDnnRuntime;
import org.legodnn.core.online.MemoryMeasure;
import org.legodnn.core.online.StoreProblem;
import org.legodnn.core.online.UpdateResult;
import org.legodnn.core.optimize.ScalingProblem;
import org.legodnn.core.prune.Precision;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Op;
import org.legodnn.graph.onnx.OnnxImporter;
import org.legodnn.graph.onnx.OrtRunner;
import org.legodnn.nn.data.DataCatalog;
import org.legodnn.nn.data.DataLoader;
import org.legodnn.nn.data.Dataset;
import org.legodnn.nn.task.Classification;
import org.legodnn.tensor.Tensor;

/**
 * Precision as a scaling dimension end to end: {@code offline --precisions fp32,int8} writes a store whose blocks
 * also offer int8; a memory budget below the smallest fp32 composition is infeasible for the store profiled in
 * fp32 only, while {@code optimize} meets it with int8 blocks; {@code export} writes that composition as a QDQ
 * model that ONNX Runtime runs, classifying as the served model does.
 */
class Int8StoreCommandTest {

    private static final double MIB = 1024 * 1024;

    @TempDir
    Path tmp;

    @Test
    void aBudgetBelowEveryFp32CompositionIsMetInInt8AndExportsToOnnxRuntime() throws Exception {
        Path store = TinyStore.build(tmp, "--precisions", "fp32,int8", "--calibration-images", "32");
        StoredBlocks stored = BlockStore.read(store);
        assertEquals(List.of(Precision.FP32, Precision.INT8), stored.precisions());
        int n = stored.sparsities().length;
        ScalingProblem free = StoreProblem.of(stored.profiles(), stored.latency(), MemoryMeasure.PARAMETERS, 0, false,
                Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
        double fp32Least = SeriesCommand.fp32Options(free, n).minMemory();
        assertTrue(free.minMemory() < 0.5 * fp32Least, free.minMemory() + " vs fp32 " + fp32Least);
        String budgetMb = String.format(Locale.ROOT, "%.6f", (free.minMemory() + fp32Least) / 2 / MIB);

        CliRun optimize = CliRun.of("optimize", "--profiles", store.toString(), "--latency-ms", "1000", "--memory-mb",
                budgetMb, "--no-relax", "--json");
        assertEquals(0, optimize.code(), optimize.err());
        Map<String, Object> answer = JSON.std.mapFrom(optimize.out().trim());
        assertTrue(((List<?>) answer.get("precisions")).contains("int8"), optimize.out());
        assertTrue(((Number) answer.get("memory_bytes")).doubleValue() <= Double.parseDouble(budgetMb) * MIB + 1,
                optimize.out());

        Path fp32Store = tmp.resolve("fp32-store");
        org.legodnn.core.offline.BlockStore.write(fp32Store, stored.contents().fp32Only().withProfiles(null));
        CliRun reprofile = CliRun.of("profile", "--store", fp32Store.toString(), "--test-limit", "16", "--threads", "1");
        assertEquals(0, reprofile.code(), reprofile.err());
        CliRun infeasible = CliRun.of("optimize", "--profiles", fp32Store.toString(), "--latency-ms", "1000",
                "--memory-mb", budgetMb, "--no-relax", "--json");
        assertEquals(1, infeasible.code(), infeasible.out());
        assertTrue(infeasible.err().contains("no composition meets"), infeasible.err());

        Path onnx = tmp.resolve("int8.onnx");
        CliRun export = CliRun.of("export", "--store", store.toString(), "--latency-ms", "1000", "--memory-mb", budgetMb,
                "--relax", "none", "--out", onnx.toString());
        assertEquals(0, export.code(), export.err());
        assertTrue(export.out().contains("int8"), export.out());
        Graph g = OnnxImporter.read(onnx);
        assertTrue(g.nodes().stream().anyMatch(x -> x.op() == Op.QUANTIZE_DEQUANTIZE), "a QDQ model");
        assertTopOneMatchesOnnxRuntime(store, budgetMb, onnx, g);
    }

    /** The served composition for the budget and ONNX Runtime on the exported file pick the same classes. */
    private static void assertTopOneMatchesOnnxRuntime(Path store, String budgetMb, Path onnx, Graph g) throws Exception {
        DataCatalog.Source source = DataCatalog.open("fashion-mnist", null, System.err);
        Dataset test = source.test().load().first(200);
        byte[] file = Files.readAllBytes(onnx);
        String input = g.inputs().get(0).name();
        int agree = 0;
        int agreeOptimized = 0;
        try (LegoDnnRuntime served = LegoDnn.open(store);
             DataLoader loader = new DataLoader(test, DataLoader.Settings.evaluation(100, source.normalize()));
             DataLoader.Epoch epoch = loader.epoch(0)) {
            UpdateResult u = served.update(1000, Double.parseDouble(budgetMb) * MIB);
            assertTrue(u.precisions().contains(Precision.INT8), u.toString());
            while (epoch.hasNext()) {
                Tensor x = epoch.next().images();
                int[] ours = Classification.argmaxRows(served.infer(x), -1);
                int[] plain = Classification.argmaxRows(OrtRunner.run(file, Map.of(input, x)).get(g.outputs().get(0)), -1);
                int[] fused = Classification.argmaxRows(OrtRunner.run(file, Map.of(input, x),
                        OrtSession.SessionOptions.OptLevel.ALL_OPT).get(g.outputs().get(0)), -1);
                for (int i = 0; i < ours.length; i++) {
                    agree += ours[i] == plain[i] ? 1 : 0;
                    agreeOptimized += ours[i] == fused[i] ? 1 : 0;
                }
            }
        }
        System.out.printf(Locale.ROOT, "int8 store: top-1 agreement with ONNX Runtime %d/%d (QDQ as written), %d/%d"
                + " (int8 kernels)%n", agree, test.size(), agreeOptimized, test.size());
        assertEquals(test.size(), agree, "ONNX Runtime without graph optimizations computes what we do");
        assertTrue(agreeOptimized >= 0.97 * test.size(), "with its int8 kernels: " + agreeOptimized);
    }
}
