package org.legodnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.legodnn.graph.Graph;
import org.legodnn.graph.onnx.OnnxExporter;
import org.legodnn.graph.quant.Calibration;
import org.legodnn.graph.quant.StaticQuantizer;
import org.legodnn.graph.trace.Tracer;
import org.legodnn.kernels.Parallel;
import org.legodnn.nn.Module;
import org.legodnn.nn.models.ModelZoo;
import org.legodnn.tensor.Tensor;

/** {@code legodnn bench} on its cheapest key with one call: the output's shape, not its speed. */
class BenchCommandTest {

    private static final String[] ONE_QUICK_CALL = {"--warmup", "0", "--warmup-time", "0", "--runs", "1", "--time", "0"};

    private static CliRun bench(String... args) {
        String[] all = new String[1 + args.length + ONE_QUICK_CALL.length];
        all[0] = "bench";
        System.arraycopy(args, 0, all, 1, args.length);
        System.arraycopy(ONE_QUICK_CALL, 0, all, 1 + args.length, ONE_QUICK_CALL.length);
        return CliRun.of(all);
    }

    @Test
    void jsonIsOneObjectFromKeyToMilliseconds() throws Exception {
        int before = Parallel.threads();
        CliRun r = bench("--json", "--threads", "1", "--keys", "cifar_resnet20_b1_32");
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.out().strip().lines().count(), "one JSON object on stdout: " + r.out());
        Map<String, Object> result = JSON.std.mapFrom(r.out());
        assertEquals(List.of("cifar_resnet20_b1_32"), List.copyOf(result.keySet()));
        double ms = ((Number) result.get("cifar_resnet20_b1_32")).doubleValue();
        assertTrue(ms > 0 && Double.isFinite(ms), r.out());
        assertTrue(r.err().contains("cifar_resnet20_b1_32") && r.err().contains("1 thread"), "progress on stderr: " + r.err());
        assertEquals(before, Parallel.threads(), "--threads is restored afterwards");
    }

    @Test
    void tableNamesTheKeyAndGflops() {
        CliRun r = bench("--keys", "cifar_resnet20_b1_32");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("median ms") && r.out().contains("GFLOP/s"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("cifar_resnet20_b1_32 ")), r.out());
    }

    @Test
    void modelFilesAreTimedInTurnsKeyedByFileName(@TempDir Path tmp) throws Exception {
        Module net = ModelZoo.create("cifar_resnet20", 3, 10);
        net.eval();
        Graph g = Tracer.trace(net, 1, 3, 32, 32).withInputShapes(Map.of(Tracer.INPUT, new int[] {-1, 3, 32, 32}));
        Path fp32 = tmp.resolve("fp32.onnx");
        Path int8 = tmp.resolve("int8.onnx");
        OnnxExporter.write(g, fp32);
        List<Tensor> calibration = List.of(Tensor.randn(new java.util.Random(3), 4, 3, 32, 32));
        OnnxExporter.write(StaticQuantizer.quantize(g, calibration, Calibration.MINMAX, line -> { }).graph(), int8);
        CliRun r = bench("--json", "--threads", "1", "--model", fp32 + "," + int8, "--batch", "2");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> result = JSON.std.mapFrom(r.out());
        assertEquals(List.of("fp32.onnx", "int8.onnx"), List.copyOf(result.keySet()), "only the files, in order");
        for (Object ms : result.values()) {
            assertTrue(((Number) ms).doubleValue() > 0, r.out());
        }
        assertEquals(2, bench("--batch", "2").code(), "--batch without --model is a usage error");
        CliRun missing = bench("--model", tmp.resolve("missing.onnx").toString());
        assertEquals(1, missing.code(), "a missing file fails as it does for run");
        assertTrue(missing.err().contains("missing.onnx: no such file"), missing.err());
    }

    @Test
    void aStoreAddsTheServedAndCompiledKeys(@TempDir Path tmp) throws Exception {
        Path store = TinyStore.build(tmp);
        CliRun r = bench("--json", "--threads", "1", "--store", store.toString(), "--keys",
                "legodnn_served_b1,legodnn_compiled_b1");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> result = JSON.std.mapFrom(r.out());
        assertEquals(List.of("legodnn_served_b1", "legodnn_compiled_b1"), List.copyOf(result.keySet()));
        for (Object ms : result.values()) {
            assertTrue(((Number) ms).doubleValue() > 0, r.out());
        }
        CliRun without = CliRun.of("bench", "--keys", "legodnn_served_b1");
        assertEquals(2, without.code(), without.err());
        assertTrue(without.err().contains("needs --store"), without.err());
    }

    @Test
    void everyContractKeyIsKnown() {
        List<String> keys = BenchCommand.WORKLOADS.stream().map(BenchCommand.Workload::key).toList();
        assertEquals(List.of("resnet18_b1_224", "mobilenet_v2_b1_224", "cifar_resnet20_b1_32", "cifar_resnet20_b128_32",
                "cifar_resnet20_int8_b1_32", "cifar_resnet20_int8_b128_32", "cifar_resnet20_train_step_b128"), keys);
    }

    @Test
    void badUsageExitsWithTwo() {
        // Checked before any model is built, so none of these times anything.
        String[][] bad = {{"bench", "--keys", "no_such_key"}, {"bench", "--threads", "0"}, {"bench", "--runs", "0"},
            {"bench", "--time", "-1"}, {"bench", "--warmup", "x"}, {"bench", "--device", "gpu"},
            {"bench", "--device", "opencl:"},
            {"bench", "--device", "opencl", "--keys", "cifar_resnet20_train_step_b128"}};
        for (String[] args : bad) {
            CliRun r = CliRun.of(args);
            assertEquals(2, r.code(), String.join(" ", args) + " -> " + r.err());
            assertEquals(1, r.err().lines().count(), r.err());
        }
        assertTrue(CliRun.of("bench", "--keys", "no_such_key").err().contains("resnet18_b1_224"), "the message lists the keys");
        assertTrue(CliRun.of("bench", "--device", "opencl", "--keys", "cifar_resnet20_train_step_b128").err()
                .contains("no OpenCL path"), "the training step is CPU only");
    }

    @Test
    void medianOfEvenAndOddCounts() {
        assertEquals(2.0, BenchCommand.median(new double[] {1, 2, 9}));
        assertEquals(2.5, BenchCommand.median(new double[] {1, 2, 3, 9}));
    }
}
