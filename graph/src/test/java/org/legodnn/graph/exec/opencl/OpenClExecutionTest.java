package org.legodnn.graph.exec.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.graph.ValueInfo;
import org.legodnn.graph.exec.CompiledGraph;
import org.legodnn.graph.exec.Interpreter;
import org.legodnn.kernels.opencl.OpenClDevice;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/** The compiled graph on the OpenCL device against the CPU interpreter, op by op on small graphs, and its plans. */
class OpenClExecutionTest {

    private final OpenClDevice device = OpenClTestDevice.get();
    private final Random rnd = new Random(42);

    /** A graph under construction: inputs, weights and nodes, each node with one output named like it. */
    private static final class G {
        final List<ValueInfo> inputs = new ArrayList<>();
        final Map<String, Tensor> inits = new LinkedHashMap<>();
        final List<Node> nodes = new ArrayList<>();

        G input(String name, int... shape) {
            inputs.add(new ValueInfo(name, shape));
            return this;
        }

        G init(String name, Tensor t) {
            inits.put(name, t);
            return this;
        }

        G node(String name, Op op, Attrs attrs, String... in) {
            nodes.add(Node.of(name, op, attrs, List.of(in), List.of(name), ""));
            return this;
        }

        Graph build(String... outputs) {
            return new Graph("test", inputs, List.of(outputs), inits, nodes);
        }
    }

    private Tensor randn(int... shape) {
        return Tensor.randn(rnd, shape);
    }

    private Tensor positive(int... shape) {
        Tensor t = Tensor.randn(rnd, shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = 0.5f + Math.abs(d[i]);
        }
        return t;
    }

    /** Runs {@code g} on both interpreters and compares every output (relative to the largest value). */
    private void same(Graph g, Map<String, Tensor> inputs) {
        Map<String, Tensor> cpu = Interpreter.run(g, inputs);
        Map<String, Tensor> ocl = OpenClExecution.run(g, device, inputs);
        assertEquals(cpu.keySet(), ocl.keySet());
        for (String name : cpu.keySet()) {
            assertClose(g.name() + "/" + name, cpu.get(name), ocl.get(name), 1e-5);
        }
    }

    static void assertClose(String what, Tensor expected, Tensor actual, double relTol) {
        assertTrue(actual.sameShape(expected.shape()), what + ": shape " + Shapes.format(actual.shape()) + ", expected "
                + Shapes.format(expected.shape()));
        double scale = 1e-6;
        for (float v : expected.data()) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = 0;
        for (int i = 0; i < actual.size(); i++) {
            double d = Math.abs((double) actual.data()[i] - expected.data()[i]);
            worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(worst, d);
        }
        assertTrue(worst <= relTol * scale, what + ": max error " + worst + " above " + relTol + " x " + scale);
    }

    private static Attrs.Pool pool(int k, int s, int pt, int pl, int pb, int pr, int d, boolean ceil, boolean include) {
        return new Attrs.Pool(k, k, s, s, pt, pl, pb, pr, d, d, ceil, include);
    }

    // ---- planning -----------------------------------------------------------------------------------------

    private Graph residualBlock() {
        return new G().input("x", 2, 8, 7, 7)
                .init("w1", randn(8, 8, 3, 3)).init("b1", randn(8))
                .init("g", positive(8)).init("beta", randn(8)).init("mean", randn(8)).init("var", positive(8))
                .init("w2", randn(8, 4, 1, 1))
                .node("conv1", Op.CONV, Attrs.Conv.of(1, 1, 1, 1), "x", "w1", "b1")
                .node("bn1", Op.BATCH_NORM, new Attrs.BatchNorm(1e-5f, 0.1f), "conv1", "g", "beta", "mean", "var")
                .node("short", Op.CONV, Attrs.Conv.of(1, 0, 1, 2), "x", "w2")
                .node("add", Op.ADD, Attrs.None.INSTANCE, "bn1", "short")
                .node("relu", Op.RELU, Attrs.None.INSTANCE, "add")
                .build("relu");
    }

    @Test
    void batchNormResidualAddAndReluFoldIntoTheConvolution() {
        Graph g = residualBlock();
        try (OpenClExecution ocl = new OpenClExecution(device); CompiledGraph compiled = CompiledGraph.compile(g, ocl)) {
            // BatchNorms are folded first (FoldBatchNorm); the shared lowering then fuses what follows: the add
            // and the ReLU fold into conv1, which takes the add's place, after the shortcut it reads.
            List<String> labels = List.copyOf(compiled.profile(Map.of("x", randn(2, 8, 7, 7)), 1).keySet());
            assertEquals(List.of("short conv [2, 8, 7, 7]", "conv1 conv+add+relu [2, 8, 7, 7]"), labels);
        }
        same(g, Map.of("x", randn(2, 8, 7, 7)));
    }

    @Test
    void qdqModelsRunWithTheirActivationsRounded() {
        Attrs.Quantize input = Attrs.Quantize.perTensor(0.02f, 128, Attrs.QuantType.UINT8);
        Attrs.Quantize weights = new Attrs.Quantize(new float[] {0.01f, 0.02f, 0.015f, 0.03f}, new int[4], 0,
                Attrs.QuantType.INT8);
        Attrs.Quantize output = Attrs.Quantize.perTensor(0.05f, 0, Attrs.QuantType.UINT8);
        Graph g = new G().input("x", 2, 3, 6, 6).init("w", randn(4, 3, 3, 3))
                .node("xq", Op.QUANTIZE_DEQUANTIZE, input, "x")
                .node("wq", Op.QUANTIZE_DEQUANTIZE, weights, "w")
                .node("conv", Op.CONV, Attrs.Conv.of(1, 1, 1, 1), "xq", "wq")
                .node("relu", Op.RELU, Attrs.None.INSTANCE, "conv")
                .node("yq", Op.QUANTIZE_DEQUANTIZE, output, "relu")
                .build("yq");
        Map<String, Tensor> x = Map.of("x", randn(2, 3, 6, 6));
        Tensor cpu = Interpreter.run(g, x).get("yq");
        Tensor ocl = OpenClExecution.run(g, device, x).get("yq");
        int steps = 0;
        for (int i = 0; i < cpu.size(); i++) {
            float d = Math.abs(cpu.data()[i] - ocl.data()[i]);
            // OpenCL's division may round a value a hair from a midpoint to the neighbouring level: one step.
            assertTrue(d <= 0.05f * 1.001f, "element " + i + ": " + ocl.data()[i] + ", expected " + cpu.data()[i]);
            steps += d > 0 ? 1 : 0;
        }
        assertTrue(steps <= 2, steps + " of " + cpu.size() + " outputs one level off");
    }

    @Test
    void intermediateValuesThatAreOutputsAreKept() {
        Graph g = new G().input("x", 1, 3, 6, 6).init("w", randn(4, 3, 3, 3))
                .node("conv", Op.CONV, Attrs.Conv.of(1, 1, 1, 1), "x", "w")
                .node("relu", Op.RELU, Attrs.None.INSTANCE, "conv")
                .node("flat", Op.FLATTEN, new Attrs.Flatten(1), "relu")
                .build("conv", "flat");
        same(g, Map.of("x", randn(1, 3, 6, 6)));
    }

    @Test
    void unsupportedOpsFailWhenPreparedNamingTheNode() {
        Graph g = new G().input("x", 2, 5)
                .node("swap", Op.TRANSPOSE, new Attrs.Transpose(new int[] {1, 0}), "x").build("swap");
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> CompiledGraph.compile(g, new OpenClExecution(device)));
        assertTrue(e.getMessage().contains("'swap'") && e.getMessage().contains("transpose"), e.getMessage());
    }

    @Test
    void aNewBatchSizeMakesANewPlanAndBuffersAreReused() {
        Graph g = new G().input("x", -1, 3, 8, 8).init("w", randn(4, 3, 3, 3)).init("fcw", randn(10, 4))
                .node("conv", Op.CONV, Attrs.Conv.of(2, 1, 1, 1), "x", "w")
                .node("pool", Op.GLOBAL_AVG_POOL, Attrs.None.INSTANCE, "conv")
                .node("flat", Op.FLATTEN, new Attrs.Flatten(1), "pool")
                .node("fc", Op.GEMM, Attrs.Gemm.LINEAR, "flat", "fcw")
                .build("fc");
        try (OpenClExecution exec = new OpenClExecution(device); CompiledGraph ocl = CompiledGraph.compile(g, exec)) {
            int[] batches = {1, 3, 1, 3};
            for (int run = 0; run < batches.length; run++) {
                Tensor x = randn(batches[run], 3, 8, 8);
                Graph shaped = g.withInputShapes(Map.of("x", x.shape()));
                Tensor expected = Interpreter.run(shaped, Map.of("x", x)).get("fc");
                long before = device.allocatedBytes();
                Tensor actual = ocl.run(Map.of("x", x)).get("fc");
                assertClose("batch " + batches[run], expected, actual, 1e-5);
                if (run >= 2) {
                    assertEquals(before, device.allocatedBytes(), "a repeated size allocates nothing new");
                }
            }
            assertThrows(IllegalArgumentException.class, () -> ocl.run(Map.of("x", randn(1, 4, 8, 8))));
        }
    }

    // ---- ops ----------------------------------------------------------------------------------------------

    @Test
    void convolutionsOfEveryKind() {
        int[][] convs = { // cin, cout, k, stride, pad, dilation, groups
            {4, 6, 3, 2, 1, 2, 2}, {3, 16, 7, 2, 3, 1, 1}, {16, 16, 3, 1, 1, 1, 16}, {16, 32, 1, 1, 0, 1, 1},
            {8, 8, 1, 2, 0, 1, 1}, {16, 16, 3, 2, 1, 1, 4}, {1, 5, 5, 1, 2, 1, 1}};
        for (int[] c : convs) {
            Graph g = new G().input("x", 2, c[0], 11, 9).init("w", randn(c[1], c[0] / c[6], c[2], c[2])).init("b", randn(c[1]))
                    .node("conv", Op.CONV, Attrs.Conv.of(c[3], c[4], c[5], c[6]), "x", "w", "b")
                    .node("relu6", Op.CLIP, new Attrs.Clip(0f, 6f), "conv").build("relu6");
            same(g, Map.of("x", randn(2, c[0], 11, 9)));
        }
    }

    @Test
    void batchNormOnItsOwnAndActivations() {
        G g = new G().input("x", 2, 5, 4, 3)
                .init("g", positive(5)).init("beta", randn(5)).init("mean", randn(5)).init("var", positive(5))
                .node("bn", Op.BATCH_NORM, new Attrs.BatchNorm(1e-3f, 0.1f), "x", "g", "beta", "mean", "var")
                .node("clip", Op.CLIP, new Attrs.Clip(-0.5f, 0.7f), "bn")
                .node("leaky", Op.LEAKY_RELU, new Attrs.LeakyRelu(0.2f), "x")
                .node("sigmoid", Op.SIGMOID, Attrs.None.INSTANCE, "x")
                .node("hsig", Op.HARD_SIGMOID, new Attrs.HardSigmoid(0.3f, 0.4f), "x")
                .node("hswish", Op.HARD_SWISH, Attrs.None.INSTANCE, "x")
                .node("relu", Op.RELU, Attrs.None.INSTANCE, "x")
                .node("id", Op.IDENTITY, Attrs.None.INSTANCE, "relu");
        same(g.build("clip", "leaky", "sigmoid", "hsig", "hswish", "id"), Map.of("x", randn(2, 5, 4, 3)));
    }

    @Test
    void detectionAndSegmentationHeadOps() {
        Tensor x = randn(2, 9, 4, 3);
        G g = new G().input("x", 2, 9, 4, 3)
                .node("xy", Op.SLICE, new Attrs.Slice(1, 0, 2, 1), "x")
                .node("xy_sig", Op.SIGMOID, Attrs.None.INSTANCE, "xy")
                .node("wh", Op.SLICE, new Attrs.Slice(1, 2, 4, 1), "x")
                .node("wh_exp", Op.EXP, Attrs.None.INSTANCE, "wh")
                .node("odd", Op.SLICE, new Attrs.Slice(1, -8, Integer.MAX_VALUE, 3), "x")
                .node("rows", Op.SLICE, new Attrs.Slice(2, 1, 4, 2), "x")
                .node("tanh", Op.TANH, Attrs.None.INSTANCE, "x")
                .node("soft1", Op.SOFTMAX, new Attrs.Softmax(1, false), "x")
                .node("soft3", Op.SOFTMAX, new Attrs.Softmax(3, false), "x")
                .node("soft0", Op.SOFTMAX, new Attrs.Softmax(0, false), "x")
                .node("legacy", Op.SOFTMAX, new Attrs.Softmax(1, true), "x");
        same(g.build("xy_sig", "wh_exp", "odd", "rows", "tanh", "soft1", "soft3", "soft0", "legacy"), Map.of("x", x));
    }

    @Test
    void binaryOpsBroadcast() {
        G g = new G().input("x", 2, 3, 4, 5).input("y", 2, 3, 4, 5)
                .init("perChannel", randn(1, 3, 1, 1)).init("row", randn(5)).init("scalar", positive(1))
                .node("add", Op.ADD, Attrs.None.INSTANCE, "x", "y")
                .node("addc", Op.ADD, Attrs.None.INSTANCE, "perChannel", "x")
                .node("sub", Op.SUB, Attrs.None.INSTANCE, "x", "row")
                .node("mul", Op.MUL, Attrs.None.INSTANCE, "x", "perChannel")
                .node("div", Op.DIV, Attrs.None.INSTANCE, "y", "scalar");
        same(g.build("add", "addc", "sub", "mul", "div"), Map.of("x", randn(2, 3, 4, 5), "y", randn(2, 3, 4, 5)));
    }

    @Test
    void poolingInOnnxsGenerality() {
        Attrs.Pool[] pools = {
            pool(3, 2, 1, 1, 1, 1, 1, false, false), pool(3, 2, 1, 1, 1, 1, 1, true, true),
            pool(2, 2, 0, 0, 0, 0, 1, false, false), pool(3, 1, 0, 1, 2, 0, 1, false, true),
            pool(3, 2, 1, 0, 0, 1, 2, true, false), pool(3, 3, 1, 1, 1, 1, 1, true, false)};
        for (Attrs.Pool p : pools) {
            Graph g = new G().input("x", 2, 3, 11, 10)
                    .node("max", Op.MAX_POOL, p, "x").node("avg", Op.AVG_POOL, p, "x")
                    .node("gap", Op.GLOBAL_AVG_POOL, Attrs.None.INSTANCE, "x").build("max", "avg", "gap");
            same(g, Map.of("x", randn(2, 3, 11, 10)));
        }
    }

    @Test
    void gemmAndMatMul() {
        G g = new G().input("a", 4, 6).input("at", 6, 4).input("b3", 3, 4, 6)
                .init("w", randn(5, 6)).init("wt", randn(6, 5)).init("bias", randn(5)).init("col", randn(4, 1))
                .init("full", randn(4, 5)).init("b2", randn(6, 7)).init("bb", randn(3, 6, 2))
                .node("linear", Op.GEMM, Attrs.Gemm.LINEAR, "a", "w", "bias")
                .node("relu", Op.RELU, Attrs.None.INSTANCE, "linear")
                .node("scaled", Op.GEMM, new Attrs.Gemm(0.5f, -2f, true, false), "at", "wt", "col")
                .node("fullc", Op.GEMM, new Attrs.Gemm(1f, 1f, false, true), "a", "w", "full")
                .node("noc", Op.GEMM, new Attrs.Gemm(1.5f, 1f, false, false), "a", "wt")
                .node("mm", Op.MATMUL, Attrs.None.INSTANCE, "a", "b2")
                .node("mmShared", Op.MATMUL, Attrs.None.INSTANCE, "b3", "b2")
                .node("mmBatched", Op.MATMUL, Attrs.None.INSTANCE, "b3", "bb");
        same(g.build("relu", "scaled", "fullc", "noc", "mm", "mmShared", "mmBatched"),
                Map.of("a", randn(4, 6), "at", randn(6, 4), "b3", randn(3, 4, 6)));
    }

    @Test
    void concatReshapeAndResize() {
        G g = new G().input("x", 2, 3, 4, 5).input("y", 2, 2, 4, 5)
                .node("cat1", Op.CONCAT, new Attrs.Concat(1), "x", "y", "x")
                .node("cat3", Op.CONCAT, new Attrs.Concat(3), "x", "x")
                .node("flat", Op.FLATTEN, new Attrs.Flatten(2), "cat1")
                .node("reshape", Op.RESHAPE, new Attrs.Reshape(new long[] {0, -1}, false), "cat3")
                .node("nearest", Op.RESIZE, new Attrs.Resize(Attrs.ResizeMode.NEAREST, new float[] {1, 1, 2, 3}, null,
                        Attrs.CoordinateMode.ASYMMETRIC, Attrs.NearestMode.FLOOR), "x")
                .node("linear", Op.RESIZE, new Attrs.Resize(Attrs.ResizeMode.LINEAR, null, new int[] {2, 3, 7, 9},
                        Attrs.CoordinateMode.PYTORCH_HALF_PIXEL, Attrs.NearestMode.ROUND_PREFER_FLOOR), "x")
                .node("corners", Op.RESIZE, new Attrs.Resize(Attrs.ResizeMode.LINEAR, new float[] {1, 1, 0.5f, 2}, null,
                        Attrs.CoordinateMode.ALIGN_CORNERS, Attrs.NearestMode.ROUND_PREFER_FLOOR), "x")
                .node("round", Op.RESIZE, new Attrs.Resize(Attrs.ResizeMode.NEAREST, new float[] {1, 1, 1.5f, 1.7f}, null,
                        Attrs.CoordinateMode.HALF_PIXEL, Attrs.NearestMode.ROUND_PREFER_CEIL), "x");
        same(g.build("flat", "reshape", "nearest", "linear", "corners", "round"),
                Map.of("x", randn(2, 3, 4, 5), "y", randn(2, 2, 4, 5)));
    }
}
