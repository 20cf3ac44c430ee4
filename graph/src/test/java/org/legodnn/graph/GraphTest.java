package org.legodnn.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.legodnn.graph.analysis.GraphAnalysis;
import org.legodnn.graph.trace.Tracer;
import org.legodnn.nn.models.ModelZoo;
import org.legodnn.tensor.Tensor;

/** The graph's order, numbering, walks, shapes and the cost analysis. */
class GraphTest {

    private static Node relu(String name, String in, String out) {
        return Node.of(name, Op.RELU, Attrs.None.INSTANCE, List.of(in), List.of(out), "");
    }

    private static final List<ValueInfo> X = List.of(new ValueInfo("x", new int[] {1, 2, 3, 3}));

    @Test
    void nodesAreNumberedOnceTheirPredecessorsAre() {
        // given out of order: the add needs both branches; ties keep the order of addition
        List<Node> nodes = List.of(
                Node.of("sum", Op.ADD, Attrs.None.INSTANCE, List.of("b", "c"), List.of("y"), ""),
                relu("c", "a", "c"),
                relu("b", "a", "b"),
                relu("a", "x", "a"));
        Graph g = new Graph("g", X, List.of("y"), Map.of(), nodes);
        assertEquals(List.of("a", "c", "b", "sum"), g.nodes().stream().map(Node::name).toList());
        for (int i = 0; i < g.nodes().size(); i++) {
            assertEquals(i, g.node(i).index());
        }
        Node sum = g.node(3);
        assertEquals(List.of("b", "c"), g.predecessors(sum).stream().map(Node::name).toList());
        assertEquals(List.of("c", "b"), g.successors(g.node(0)).stream().map(Node::name).toList());
        assertEquals(g.node(0), g.producer("a"));
        assertArrayEquals(new int[] {1, 2, 3, 3}, g.shape("y"));
        Graph again = new Graph("g", X, List.of("y"), Map.of(), nodes);
        assertEquals(g.nodes(), again.nodes());
    }

    @Test
    void cyclesAndUndefinedValuesAreErrors() {
        IllegalArgumentException cycle = assertThrows(IllegalArgumentException.class, () -> new Graph("g", X, List.of("b"),
                Map.of(), List.of(relu("a", "b", "a"), relu("b", "a", "b"))));
        assertTrue(cycle.getMessage().contains("cycle"), cycle.getMessage());
        IllegalArgumentException undefined = assertThrows(IllegalArgumentException.class, () -> new Graph("g", X,
                List.of("a"), Map.of(), List.of(relu("a", "nothing", "a"))));
        assertTrue(undefined.getMessage().contains("nothing"), undefined.getMessage());
    }

    @Test
    void shapeErrorsNameTheNode() {
        Map<String, Tensor> w = Map.of("w", Tensor.zeros(4, 3, 3, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Graph("g", X, List.of("y"), w,
                List.of(Node.of("conv", Op.CONV, Attrs.Conv.of(1, 1, 1, 1), List.of("x", "w"), List.of("y"), ""))));
        assertTrue(e.getMessage().contains("conv") && e.getMessage().contains("channels"), e.getMessage());
    }

    /** The original LegoDNN profile's teacher: CIFAR ResNet-18 with 100 classes, 11,220,132 params, 1,113,396,224 FLOPs. */
    @Test
    void costsMatchTheOriginalProfiles() {
        Graph g = Tracer.trace(ModelZoo.create("cifar_resnet18", 3, 100), 1, 3, 32, 32);
        GraphAnalysis.Totals t = GraphAnalysis.totals(GraphAnalysis.perNode(g));
        assertEquals(11_220_132L, t.params());
        assertEquals(1_113_396_224L, t.flops());
        // the largest live set is in layer1: a block's input (kept for the shortcut) and two 64×32×32 values
        assertEquals(4L * 3 * 64 * 32 * 32, GraphAnalysis.peakActivationBytes(g));
    }
}
