package org.legodnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.legodnn.core.online.LegoDnnRuntime;
import org.legodnn.graph.Graph;
import org.legodnn.graph.onnx.OnnxImporter;
import org.legodnn.graph.onnx.OrtRunner;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.io.Safetensors;

/**
 * The check every exported composition must pass, in one place for every store a test builds: {@code export} writes
 * it, {@code run} computes it at batch 1 and 7 and ONNX Runtime at batch 7, each matching what the served runtime
 * gives on that composition within 1e-5.
 */
final class ExportedComposition {

    private ExportedComposition() {
    }

    /**
     * Exports {@code selection} of {@code store} into {@code dir} and checks it against {@code served} (switched to
     * the same selection here).
     *
     * @return the ONNX file written
     */
    static Path exportAndCheck(Path store, int[] selection, LegoDnnRuntime served, Path dir) throws Exception {
        String name = "composition-" + join(selection, "-");
        Path onnx = dir.resolve(name + ".onnx");
        Path weights = dir.resolve(name + ".safetensors");
        CliRun r = CliRun.of("export", "--store", store.toString(), "--selection", join(selection, ","), "--out",
                onnx.toString(), "--safetensors", weights.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("dynamic batch"), r.out());
        Graph g = OnnxImporter.read(onnx);
        assertEquals(g.initializers().keySet(), Safetensors.read(weights).keySet(), "weights by the same names");
        served.switcher().switchTo(selection);
        String input = g.inputs().get(0).name();
        int[] shape = g.inputs().get(0).shape();
        for (int batch : new int[] {1, 7}) {
            Tensor x = Tensor.randn(new Random(batch), batch, shape[1], shape[2], shape[3]);
            float[] expected = served.infer(x).data();
            Path in = dir.resolve(name + "-in" + batch + ".safetensors");
            Path out = dir.resolve(name + "-out" + batch + ".safetensors");
            Safetensors.write(in, Map.of(input, x), Map.of());
            CliRun run = CliRun.of("run", "--model", onnx.toString(), "--input", in.toString(), "--output",
                    out.toString());
            assertEquals(0, run.code(), run.err());
            assertArrayEquals(expected, Safetensors.read(out).get(g.outputs().get(0)).data(), 1e-5f,
                    "bin/legodnn run, batch " + batch + ", selection " + join(selection, ","));
            if (batch == 7) {
                Tensor ort = OrtRunner.run(Files.readAllBytes(onnx), Map.of(input, x)).get(g.outputs().get(0));
                assertArrayEquals(expected, ort.data(), 1e-5f, "ONNX Runtime, batch 7, selection " + join(selection, ","));
            }
        }
        return onnx;
    }

    static String join(int[] a, String separator) {
        StringBuilder b = new StringBuilder();
        for (int v : a) {
            b.append(b.length() == 0 ? "" : separator).append(v);
        }
        return b.toString();
    }
}
