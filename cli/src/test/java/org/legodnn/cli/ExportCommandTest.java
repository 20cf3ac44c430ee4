package org.legodnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.legodnn.LegoDnn;
import org.legodnn.core.offline.AccuracyEstimate;
import org.legodnn.core.offline.BlockStore;
import org.legodnn.core.online.LegoDnnRuntime;

/**
 * {@code export} writes a composition that runs anywhere: ours at batch 1 and 7, ONNX Runtime at batch 7, each
 * equal to what the LegoDNN runtime serves for that composition.
 */
class ExportCommandTest {

    @TempDir
    static Path tmp;
    private static Path store;

    @BeforeAll
    static void store() throws Exception {
        store = TinyStore.build(tmp);
    }

    @Test
    void exportedCompositionsRunLikeTheServedOnes() throws Exception {
        LegoDnnRuntime served = LegoDnn.open(store);
        int blocks = served.switcher().blocks().size();
        for (int[] selection : new int[][] {new int[blocks], fill(blocks, 1), alternating(blocks)}) {
            ExportedComposition.exportAndCheck(store, selection, served, tmp);
        }
    }

    @Test
    void budgetsChooseTheComposition() throws Exception {
        Path onnx = tmp.resolve("budget.onnx");
        CliRun r = CliRun.of("export", "--store", store.toString(), "--latency-ms", "1000", "--memory-mb", "100",
                "--out", onnx.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("the most accurate within 1000 ms and 100 MiB"), r.out());
        assertTrue(Files.size(onnx) > 0);
    }

    @Test
    void evalOfTheExportedOriginalGivesTheProfiledTeacherAccuracy() throws Exception {
        Path onnx = tmp.resolve("original.onnx");
        int blocks = LegoDnn.open(store).switcher().blocks().size();
        assertEquals(0, CliRun.of("export", "--store", store.toString(), "--selection", join(new int[blocks]), "--out",
                onnx.toString()).code());
        // TinyStore profiles on the first 16 test images; the same images, normalized as the store's teacher
        CliRun r = CliRun.of("eval", "--model", onnx.toString(), "--store", store.toString(), "--dataset",
                "fashion-mnist", "--limit", "16", "--json");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> j = com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(r.out());
        assertEquals(16, ((Number) j.get("samples")).intValue());
        assertEquals(BlockStore.read(store).profiles().teacherAccuracy(), ((Number) j.get("accuracy")).doubleValue(),
                1e-12);
        assertEquals(2, CliRun.of("eval", "--model", onnx.toString(), "--weights", onnx.toString(), "--dataset",
                "fashion-mnist").code(), "an ONNX model carries its weights");
        assertEquals(2, CliRun.of("eval", "--model", "default", "--store", store.toString(), "--dataset",
                "fashion-mnist").code(), "--store goes with an ONNX model");
    }

    @Test
    void evalOfEachExportedCompositionIsWithinTheNoiseTheProfileStates() throws Exception {
        LegoDnnRuntime served = LegoDnn.open(store);
        int blocks = served.switcher().blocks().size();
        for (int[] selection : new int[][] {fill(blocks, 1), alternating(blocks), flipped(alternating(blocks))}) {
            Path onnx = tmp.resolve("estimate-" + join(selection).replace(',', '-') + ".onnx");
            CliRun export = CliRun.of("export", "--store", store.toString(), "--selection", join(selection), "--out",
                    onnx.toString());
            assertEquals(0, export.code(), export.err());
            served.switcher().switchTo(selection);
            AccuracyEstimate estimate = served.estimate();
            assertTrue(export.out().contains("estimated accuracy " + estimate.describe()), export.out());
            CliRun r = CliRun.of("eval", "--model", onnx.toString(), "--store", store.toString(), "--dataset",
                    "fashion-mnist", "--limit", Integer.toString(estimate.testImages()), "--json");
            assertEquals(0, r.code(), r.err());
            double measured = ((Number) com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(r.out()).get("accuracy"))
                    .doubleValue();
            assertTrue(estimate.agreesOnProfilingImages(measured), "selection " + join(selection) + ": measured "
                    + measured + ", estimated " + estimate.describe());
        }
    }

    @Test
    void badUsageExitsTwo() {
        String s = store.toString();
        String out = tmp.resolve("x.onnx").toString();
        assertEquals(2, CliRun.of("export", "--store", s, "--out", out).code(), "budgets or a selection");
        assertEquals(2, CliRun.of("export", "--store", s, "--selection", "0", "--out", out).code(), "one per block");
        assertEquals(2, CliRun.of("export", "--store", s, "--latency-ms", "1", "--out", out).code(), "both budgets");
        assertEquals(2, CliRun.of("export", "--store", s, "--selection", "0,0", "--latency-ms", "1", "--memory-mb", "1",
                "--out", out).code(), "not both");
        CliRun wrong = CliRun.of("export", "--store", s, "--selection", "9,9,9", "--out", out);
        assertEquals(2, wrong.code(), wrong.err());
        assertEquals(1, wrong.err().trim().lines().count(), wrong.err());
    }

    private static int[] fill(int n, int v) {
        int[] a = new int[n];
        Arrays.fill(a, v);
        return a;
    }

    private static int[] alternating(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i += 2) {
            a[i] = 1;
        }
        return a;
    }

    private static int[] flipped(int[] a) {
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = 1 - a[i];
        }
        return b;
    }

    private static String join(int[] a) {
        return ExportedComposition.join(a, ",");
    }
}
