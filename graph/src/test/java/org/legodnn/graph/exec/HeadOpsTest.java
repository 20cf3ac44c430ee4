package org.legodnn.graph.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.graph.ValueInfo;
import org.legodnn.kernels.Backends;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/**
 * The ops of detection and segmentation heads (slice, sigmoid, exp, tanh, softmax on any axis) on every CPU road —
 * the interpreter, the compiled plan on the SIMD and on the scalar device — against the differentiable ops of
 * {@link Ops}, which the PyTorch reference tests hold to PyTorch's numbers.
 */
class HeadOpsTest {

    private static final List<String> OUTPUTS = List.of("xy_sig", "wh_exp", "odd", "tanh", "soft1", "soft3", "legacy");

    @AfterEach
    void restore() {
        Backends.use(Backends.cpu());
    }

    private static Graph head() {
        List<Node> nodes = List.of(
                node("xy", Op.SLICE, new Attrs.Slice(1, 0, 2, 1), "x"),
                node("xy_sig", Op.SIGMOID, Attrs.None.INSTANCE, "xy"),
                node("wh", Op.SLICE, new Attrs.Slice(1, 2, 4, 1), "x"),
                node("wh_exp", Op.EXP, Attrs.None.INSTANCE, "wh"),
                node("odd", Op.SLICE, new Attrs.Slice(1, -8, Integer.MAX_VALUE, 3), "x"),
                node("tanh", Op.TANH, Attrs.None.INSTANCE, "x"),
                node("soft1", Op.SOFTMAX, new Attrs.Softmax(1, false), "x"),
                node("soft3", Op.SOFTMAX, new Attrs.Softmax(3, false), "x"),
                node("legacy", Op.SOFTMAX, new Attrs.Softmax(2, true), "x"));
        return new Graph("head", List.of(new ValueInfo("x", new int[] {2, 9, 4, 3})), OUTPUTS, Map.of(), nodes);
    }

    private static Node node(String name, Op op, Attrs attrs, String input) {
        return Node.of(name, op, attrs, List.of(input), List.of(name), "");
    }

    /** What each output must be, from the tensor ops. */
    private static Map<String, Tensor> expected(Tensor x) {
        Tensor flatTail = Ops.reshape(x, 2, 9, 12);
        return Map.of(
                "xy_sig", Ops.sigmoid(Ops.slice(x, 1, 0, 2, 1)),
                "wh_exp", Ops.exp(Ops.narrow(x, 1, 2, 2)),
                "odd", Ops.slice(x, 1, 1, 9, 3),
                "tanh", Ops.tanh(x),
                "soft1", Ops.softmax(x, 1),
                "soft3", Ops.softmax(x, 3),
                "legacy", Ops.reshape(Ops.softmax(flatTail, 2), 2, 9, 4, 3));
    }

    @Test
    void everyCpuRoadComputesTheTensorOps() {
        Tensor x = Tensor.randn(new Random(5), 2, 9, 4, 3);
        Map<String, Tensor> want = expected(x);
        Graph g = head();
        check("interpreted", want, Interpreter.run(g, Map.of("x", x)));
        try (CompiledGraph simd = CompiledGraph.compile(g)) {
            check("compiled (SIMD)", want, simd.run(Map.of("x", x)));
        }
        Backends.use(Backends.scalar());
        try (CompiledGraph scalar = CompiledGraph.compile(g)) {
            check("compiled (scalar)", want, scalar.run(Map.of("x", x)));
        }
        check("interpreted (scalar)", want, Interpreter.run(g, Map.of("x", x)));
    }

    @Test
    void sliceShapesFollowPythonIndices() {
        Graph g = head();
        assertArrayEquals(new int[] {2, 3, 4, 3}, g.shape("odd")); // 1, 4, 7
        assertArrayEquals(new int[] {2, 2, 4, 3}, g.shape("wh"));
    }

    private static void check(String road, Map<String, Tensor> want, Map<String, Tensor> got) {
        for (String name : OUTPUTS) {
            Tensor e = want.get(name);
            Tensor a = got.get(name);
            assertArrayEquals(e.shape(), a.shape(), road + " " + name + ": shape");
            for (int i = 0; i < e.size(); i++) {
                float d = Math.abs(a.data()[i] - e.data()[i]);
                assertTrue(d <= 1e-6f + 1e-6f * Math.abs(e.data()[i]), road + " " + name + "[" + i + "]: " + a.data()[i]
                        + ", expected " + e.data()[i]);
            }
        }
    }
}
