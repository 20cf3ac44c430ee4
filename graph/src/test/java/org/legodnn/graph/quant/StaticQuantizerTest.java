package org.legodnn.graph.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.graph.exec.CompiledGraph;
import org.legodnn.graph.exec.CpuExecution;
import org.legodnn.graph.exec.Interpreter;
import org.legodnn.graph.onnx.OnnxExporter;
import org.legodnn.graph.onnx.OnnxImporter;
import org.legodnn.graph.onnx.OrtRunner;
import org.legodnn.graph.trace.Tracer;
import org.legodnn.nn.Module;
import org.legodnn.nn.models.ModelZoo;
import org.legodnn.nn.task.Classification;
import org.legodnn.kernels.Backends;
import org.legodnn.tensor.Tensor;

/**
 * A quantized CIFAR ResNet-20 (random weights, random images): the QDQ nodes sit where ONNX Runtime's
 * quantize_static puts them, the compiled plan computes what the interpreter does, the exported file is a
 * quarter of the float one, re-imports to the same results and runs in ONNX Runtime with ours — as written
 * (QuantizeLinear/DequantizeLinear ops) and fused into int8 kernels; our own int8 kernels run every convolution
 * and agree with the float emulation of the same model.
 */
class StaticQuantizerTest {

    private static Graph fp32;
    private static StaticQuantizer.Result quantized;
    private static List<Tensor> batches;
    private static Tensor x;

    @BeforeAll
    static void quantize() {
        Module net = ModelZoo.create("cifar_resnet20", 3, 10);
        net.eval();
        Graph traced = Tracer.trace(net, 1, 3, 32, 32);
        fp32 = traced.withInputShapes(Map.of(Tracer.INPUT, new int[] {-1, 3, 32, 32}));
        Random rnd = new Random(7);
        batches = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            batches.add(Tensor.randn(rnd, 8, 3, 32, 32));
        }
        quantized = StaticQuantizer.quantize(fp32, batches, Calibration.MINMAX, line -> { });
        x = Tensor.randn(rnd, 16, 3, 32, 32);
    }

    @Test
    void everyConvolutionAndTheLinearReadRoundedWeightsAndInputs() {
        Graph g = quantized.graph();
        int matrices = 0;
        for (Node n : g.nodes()) {
            if (n.op() == Op.CONV || n.op() == Op.GEMM) {
                matrices++;
                for (int k = 0; k < Math.min(2, n.inputs().size()); k++) {
                    Node producer = g.producer(n.input(k));
                    assertTrue(producer != null && producer.op() == Op.QUANTIZE_DEQUANTIZE,
                            n.name() + " input " + k + " is not rounded");
                }
            }
        }
        assertEquals(22, matrices); // 19 3x3 convolutions, 2 downsampling 1x1, the classifier
        assertEquals(matrices, quantized.weights());
        assertTrue(quantized.activations() >= matrices - 3, "activations rounded: " + quantized.activations());
    }

    @Test
    void theModelsInputKeepsItsWholeRangeWhateverTheMethod() {
        float lo = 0f;
        float hi = 0f;
        for (Tensor b : batches) {
            for (float v : b.data()) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        Graph g = StaticQuantizer.quantize(fp32, batches, Calibration.ENTROPY, line -> { }).graph();
        Node input = g.consumers(Tracer.INPUT).get(0);
        assertEquals(Op.QUANTIZE_DEQUANTIZE, input.op());
        Attrs.Quantize q = input.attrs(Attrs.Quantize.class);
        float scale = q.scales()[0];
        assertEquals(lo, (0 - q.zeroPoints()[0]) * scale, scale, "lowest level");
        assertEquals(hi, (255 - q.zeroPoints()[0]) * scale, scale, "highest level");
    }

    @Test
    void compiledPlanComputesWhatTheInterpreterDoes() {
        Graph g = quantized.graph();
        Tensor interpreted = Interpreter.run(g, Map.of(Tracer.INPUT, x)).get(Tracer.OUTPUT);
        try (CompiledGraph c = CompiledGraph.compile(g)) {
            Tensor compiled = c.run(x);
            assertTrue(maxAbs(interpreted, compiled) <= 1e-3 * Math.max(1, maxAbs(interpreted)),
                    "compiled vs interpreter: " + maxAbs(interpreted, compiled));
        }
    }

    @Test
    void exportIsAQuarterOfTheFloatModelAndReimportsToTheSameResults() {
        int qBytes = OnnxExporter.toModel(quantized.graph()).getSerializedSize();
        int fBytes = OnnxExporter.toModel(fp32).getSerializedSize();
        assertTrue(qBytes <= 0.3 * fBytes, "quantized " + qBytes + " bytes, float " + fBytes);
        byte[] file = OnnxExporter.toModel(quantized.graph()).toByteArray();
        Graph back = OnnxImporter.read(file, "quantized.onnx");
        Tensor ours = Interpreter.run(quantized.graph(), Map.of(Tracer.INPUT, x)).get(Tracer.OUTPUT);
        Tensor again = Interpreter.run(back, Map.of(Tracer.INPUT, x)).get(Tracer.OUTPUT);
        assertTrue(maxAbs(ours, again) <= 1e-4 * Math.max(1, maxAbs(ours)), "re-imported: " + maxAbs(ours, again));
        int again2 = OnnxExporter.toModel(back).getSerializedSize();
        assertTrue(again2 <= 1.05 * qBytes, "written again: " + again2 + " bytes, first " + qBytes); // still int8
    }

    @Test
    void onnxRuntimeRunsTheQdqModelAsWeDo() throws Exception {
        byte[] file = OnnxExporter.toModel(quantized.graph()).toByteArray();
        Tensor ours = Interpreter.run(quantized.graph(), Map.of(Tracer.INPUT, x)).get(Tracer.OUTPUT);
        Tensor asWritten = OrtRunner.run(file, Map.of(Tracer.INPUT, x)).get(Tracer.OUTPUT);
        Tensor fused = OrtRunner.run(file, Map.of(Tracer.INPUT, x), OrtSession.SessionOptions.OptLevel.ALL_OPT)
                .get(Tracer.OUTPUT);
        double scale = Math.max(1, maxAbs(ours));
        System.out.printf("QDQ resnet20: ours vs ORT as written %.3g, vs ORT fused %.3g (max |y| %.3g)%n",
                maxAbs(ours, asWritten), maxAbs(ours, fused), maxAbs(ours));
        // Float sums in another order round a few activations to the neighbouring level: small, not zero.
        assertTrue(maxAbs(ours, asWritten) <= 5e-3 * scale, "vs ORT as written: " + maxAbs(ours, asWritten));
        assertTrue(maxAbs(ours, fused) <= 0.05 * scale, "vs ORT fused: " + maxAbs(ours, fused));
        assertEquals(16, agreeingTop1(ours, fused), "top-1 agreement with ORT's int8 kernels");
    }

    @Test
    void everyConvolutionRunsInInt8AndItsInputQuantizeStepGoes() {
        Graph g = quantized.graph();
        assertEquals(21, QuantizedConvs.find(g).size(), "the 19 3x3 and 2 1x1 convolutions");
        try (CompiledGraph int8 = int8Kernels(g, CpuExecution.current()); CompiledGraph float32 = CompiledGraph.compile(g)) {
            long rounding = int8.steps().stream().filter(s -> s.node().op() == Op.QUANTIZE_DEQUANTIZE).count();
            long before = float32.steps().stream().filter(s -> s.node().op() == Op.QUANTIZE_DEQUANTIZE).count();
            // Left: the classifier's input (a Gemm) and the residual adds' second inputs.
            assertTrue(rounding < before, rounding + " quantize steps with int8 kernels, " + before + " without");
        }
    }

    @Test
    void int8KernelsComputeWhatTheFloatEmulationDoes() {
        Graph g = quantized.graph();
        Tensor int8;
        Tensor scalar;
        Tensor emulated;
        try (CompiledGraph c = int8Kernels(g, CpuExecution.current())) {
            int8 = c.run(x);
        }
        try (CompiledGraph c = int8Kernels(g, CpuExecution.of(Backends.scalar()))) {
            scalar = c.run(x);
        }
        try (CompiledGraph c = CompiledGraph.compile(g)) {
            emulated = c.run(x);
        }
        double scale = Math.max(1, maxAbs(emulated));
        System.out.printf("QDQ resnet20: int8 kernels vs float emulation %.3g, SIMD vs scalar int8 %.3g%n",
                maxAbs(int8, emulated), maxAbs(int8, scalar));
        // Exact integer sums against float sums: a few activations land on the neighbouring level downstream.
        assertTrue(maxAbs(int8, emulated) <= 0.05 * scale, "int8 vs float emulation: " + maxAbs(int8, emulated));
        assertTrue(maxAbs(int8, scalar) <= 0.05 * scale, "SIMD vs scalar device: " + maxAbs(int8, scalar));
        assertEquals(16, agreeingTop1(int8, emulated), "top-1 agreement with the float emulation");
    }

    /** The QDQ model compiled for {@code device} with the int8 kernels turned on. */
    private static CompiledGraph int8Kernels(Graph g, CpuExecution device) {
        String saved = System.getProperty(CpuExecution.INT8_KERNELS);
        System.setProperty(CpuExecution.INT8_KERNELS, "true");
        try {
            return CompiledGraph.compile(g, device);
        } finally {
            if (saved == null) {
                System.clearProperty(CpuExecution.INT8_KERNELS);
            } else {
                System.setProperty(CpuExecution.INT8_KERNELS, saved);
            }
        }
    }

    private static int agreeingTop1(Tensor a, Tensor b) {
        int[] x = Classification.argmaxRows(a, -1);
        int[] y = Classification.argmaxRows(b, -1);
        int agree = 0;
        for (int i = 0; i < x.length; i++) {
            agree += x[i] == y[i] ? 1 : 0;
        }
        return agree;
    }

    private static double maxAbs(Tensor t) {
        double m = 0;
        for (float v : t.data()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static double maxAbs(Tensor a, Tensor b) {
        double m = 0;
        for (int i = 0; i < a.size(); i++) {
            m = Math.max(m, Math.abs(a.data()[i] - b.data()[i]));
        }
        return m;
    }
}
