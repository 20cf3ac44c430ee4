package org.legodnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.graph.exec.CompiledGraph;
import org.legodnn.graph.onnx.OnnxImporter;
import org.legodnn.graph.onnx.OrtRunner;
import org.legodnn.nn.data.DataCatalog;
import org.legodnn.nn.data.DataLoader;
import org.legodnn.nn.data.Dataset;
import org.legodnn.nn.data.Normalize;
import org.legodnn.nn.task.Classification;
import org.legodnn.tensor.Tensor;

/**
 * {@code quantize} on the shipped teacher: the int8 model keeps the float model's accuracy within half a point,
 * is under 30% of its size, and ONNX Runtime — with its int8 kernels — classifies the test images as we do.
 * Uses the data set that {@code eval} finds (the full Fashion-MNIST where the Debian package is installed, else
 * the subset shipped with legodnn).
 */
class QuantizeCommandTest {

    @TempDir
    Path tmp;

    @Test
    void shippedTeacherQuantizesAndOnnxRuntimeAgrees() throws Exception {
        Path q = tmp.resolve("q.onnx");
        CliRun r = CliRun.of("quantize", "--model", "default", "--dataset", "fashion-mnist", "--out", q.toString(),
                "--calibration-images", "256", "--limit", "2000", "--json");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> result = com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(r.out());
        double fp32 = ((Number) result.get("fp32")).doubleValue();
        double int8 = ((Number) result.get("int8")).doubleValue();
        long fBytes = ((Number) result.get("fp32_bytes")).longValue();
        long qBytes = ((Number) result.get("int8_bytes")).longValue();
        assertEquals("top1", result.get("metric"));
        assertTrue(int8 >= fp32 - 0.005, "int8 " + int8 + " vs fp32 " + fp32);
        assertTrue(qBytes <= 0.30 * fBytes && qBytes == Files.size(q), qBytes + " of " + fBytes + " bytes");

        Graph g = OnnxImporter.read(q);
        DataCatalog.Source source = DataCatalog.open("fashion-mnist", null, System.err);
        Dataset test = source.test().load().first(2000);
        Normalize normalize = source.normalize();
        byte[] file = Files.readAllBytes(q);
        String input = g.inputs().get(0).name();
        int agree = 0;
        double worst = 0;
        double step = lastStep(g);
        try (CompiledGraph ours = CompiledGraph.compile(g);
             DataLoader loader = new DataLoader(test, DataLoader.Settings.evaluation(250, normalize));
             DataLoader.Epoch epoch = loader.epoch(0)) {
            while (epoch.hasNext()) {
                Tensor x = epoch.next().images();
                Tensor a = ours.run(x);
                Tensor b = OrtRunner.run(file, Map.of(input, x), OrtSession.SessionOptions.OptLevel.ALL_OPT)
                        .get(g.outputs().get(0));
                int[] ourClasses = Classification.argmaxRows(a, -1);
                int[] ortClasses = Classification.argmaxRows(b, -1);
                for (int i = 0; i < ourClasses.length; i++) {
                    agree += ourClasses[i] == ortClasses[i] ? 1 : 0;
                }
                for (int i = 0; i < a.size(); i++) {
                    worst = Math.max(worst, Math.abs(a.data()[i] - b.data()[i]));
                }
            }
        }
        double agreement = (double) agree / test.size();
        System.out.printf("quantize: fp32 %.4f int8 %.4f, %d of %d bytes; ORT agrees on %.4f, max |ours - ORT| %.4g"
                + " (one step of the classifier's input moves a logit by up to %.4g)%n", fp32, int8, qBytes, fBytes,
                agreement, worst, step);
        assertTrue(agreement >= 0.995, "top-1 agreement with ONNX Runtime " + agreement);
        assertTrue(worst <= step, "max |ours - ORT| " + worst + " exceeds one quantization step " + step);
    }

    /**
     * How far one quantization step of the classifier's input can move a logit: the input's scale times the
     * largest row sum of |W| (the weights as rounded).
     */
    private static double lastStep(Graph g) {
        for (Node n : g.nodes()) {
            if (n.op() == Op.GEMM) {
                Attrs.Quantize in = rounding(g, n.input(0)).attrs(Attrs.Quantize.class);
                Node wq = rounding(g, n.input(1));
                Tensor w = g.initializer(wq.input(0));
                double most = 0;
                for (int row = 0; row < w.dim(0); row++) {
                    double sum = 0;
                    for (int j = 0; j < w.dim(1); j++) {
                        sum += Math.abs(w.data()[row * w.dim(1) + j]);
                    }
                    most = Math.max(most, sum);
                }
                return in.scales()[0] * most;
            }
        }
        throw new AssertionError("no classifier in the quantized model");
    }

    /** The quantize-dequantize that {@code value} comes from (a re-imported DequantizeLinear is an identity). */
    private static Node rounding(Graph g, String value) {
        Node p = g.producer(value);
        while (p.op() == Op.IDENTITY) {
            p = g.producer(p.input(0));
        }
        return p;
    }
}
