package org.legodnn.core.blocks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.ValueInfo;
import org.legodnn.tensor.Tensor;

/**
 * Lifts a {@link Block} out of its model as a graph of its own — one input, one output, the weights it reads —
 * so that it can be run, pruned, retrained and stored apart from the frame. Building the graph also proves the
 * block closed: a node that read a value from outside other than the block's input would fail here.
 */
public final class BlockGraph {

    private BlockGraph() {
    }

    /** Block {@code block} of {@code model} as a graph whose input and output keep their names in the model. */
    public static Graph of(Graph model, Block block) {
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (Node n : block.nodes()) {
            for (String in : n.inputs()) {
                if (model.isInitializer(in)) {
                    weights.put(in, model.initializer(in));
                }
            }
        }
        return new Graph(model.name() + ".block" + block.index(),
                List.of(new ValueInfo(block.inputValue(), block.inputShape())), List.of(block.outputValue()),
                weights, block.nodes());
    }
}
