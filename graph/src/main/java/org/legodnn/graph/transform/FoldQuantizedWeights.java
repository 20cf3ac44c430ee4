package org.legodnn.graph.transform;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.graph.quant.QuantizeDequantize;
import org.legodnn.tensor.Tensor;

/**
 * Replaces every quantize-dequantize of a constant (the int8 weights and int32 biases of a QDQ model) by the
 * constant it computes, so that the lowering sees plain initializers: convolutions keep their prepacked kernels
 * and BatchNorm folding still applies. The model keeps its quantized form for export; only the compiled copy is
 * folded. Quantize-dequantize of activations stays, since it depends on the input.
 */
public final class FoldQuantizedWeights {

    private FoldQuantizedWeights() {
    }

    /** The graph with every quantize-dequantize of an initializer folded; {@code graph} itself if there is none. */
    public static Graph apply(Graph graph) {
        Map<String, Tensor> inits = new LinkedHashMap<>(graph.initializers());
        Set<Integer> removed = new HashSet<>();
        for (Node n : graph.nodes()) {
            if (n.op() == Op.QUANTIZE_DEQUANTIZE && graph.isInitializer(n.input(0))
                    && !graph.outputs().contains(n.output())) {
                Tensor w = graph.initializer(n.input(0));
                inits.put(n.output(), QuantizeDequantize.apply(w, n.attrs(Attrs.Quantize.class)));
                removed.add(n.index());
            }
        }
        if (removed.isEmpty()) {
            return graph;
        }
        List<Node> nodes = new ArrayList<>();
        Set<String> read = new HashSet<>(graph.outputs());
        for (Node n : graph.nodes()) {
            if (!removed.contains(n.index())) {
                nodes.add(n);
                read.addAll(n.inputs());
            }
        }
        inits.keySet().retainAll(read);
        return new Graph(graph.name(), graph.inputs(), graph.outputs(), inits, nodes);
    }
}
