package org.legodnn.core.blocks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.legodnn.graph.Node;
import org.legodnn.tensor.Shapes;

/**
 * One block that {@link BlockExtractor} cut out of a model graph: the unit that LegoDNN prunes into
 * descendants, retrains on the teacher's features and swaps at run time. It is a run of consecutive nodes in
 * the graph's topological numbering that reads exactly one value from outside and hands exactly one value on,
 * so any descendant with the same input and output shapes can take its place.
 *
 * @param index       position among the model's blocks, from 0
 * @param nodes       the block's nodes, in topological order (indices {@code firstNode()..lastNode()})
 * @param layers      module paths of the block's parameterised layers (conv, BN, Linear), in order; the node
 *                    name where a node has no module path (some ONNX files)
 * @param inputValue  the one value that enters (a graph input or a node output before the block)
 * @param inputShape  its shape, batch dimension included
 * @param outputValue the one value that leaves (read after the block or a graph output)
 * @param outputShape its shape, batch dimension included
 * @param outputConvs the convolutions met first on every backward path from the block's end: they fix the
 *                    output channels and are never pruned
 * @param convCount   compressible layers (conv, transposed conv) inside, a layer called twice counted once
 * @param params      weights plus BatchNorm scale and shift, no running statistics (as LegoDNN counts)
 * @param flops       FLOPs at the graph's shapes under the thop-doubled convention of
 *                    {@link org.legodnn.graph.analysis.Flops}
 */
public record Block(int index, List<Node> nodes, List<String> layers, String inputValue, int[] inputShape,
                   String outputValue, int[] outputShape, List<Node> outputConvs, int convCount, long params,
                   long flops) {

    public Block {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("Block " + index + ": no nodes");
        }
        nodes = List.copyOf(nodes);
        layers = List.copyOf(layers);
        outputConvs = List.copyOf(outputConvs);
        inputShape = inputShape.clone();
        outputShape = outputShape.clone();
    }

    /** The topological index of the first node. */
    public int firstNode() {
        return nodes.get(0).index();
    }

    /** The topological index of the last node (the one whose output leaves, or a later one). */
    public int lastNode() {
        return nodes.get(nodes.size() - 1).index();
    }

    /** The node indices, in order. */
    public List<Integer> nodeIds() {
        List<Integer> ids = new ArrayList<>(nodes.size());
        for (Node n : nodes) {
            ids.add(n.index());
        }
        return ids;
    }

    /** Whether node {@code index} of the graph lies in this block. */
    public boolean contains(int index) {
        return index >= firstNode() && index <= lastNode();
    }

    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    @Override
    public int[] outputShape() {
        return outputShape.clone();
    }

    /** The input shape of one sample (batch dimension dropped), as LegoDNN's profiles write it. */
    public int[] inputSampleShape() {
        return Arrays.copyOfRange(inputShape, Math.min(1, inputShape.length), inputShape.length);
    }

    /** The output shape of one sample (batch dimension dropped), as LegoDNN's profiles write it. */
    public int[] outputSampleShape() {
        return Arrays.copyOfRange(outputShape, Math.min(1, outputShape.length), outputShape.length);
    }

    /** Module paths (or node names) of the output convolutions. */
    public List<String> outputConvLayers() {
        List<String> out = new ArrayList<>();
        for (Node n : outputConvs) {
            out.add(label(n));
        }
        return out;
    }

    /** How a node is named in {@link #layers}: its module path, or its name when it has none. */
    static String label(Node n) {
        return n.modulePath().isEmpty() ? n.name() : n.modulePath();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Block b && index == b.index && nodes.equals(b.nodes) && inputValue.equals(b.inputValue)
                && outputValue.equals(b.outputValue) && Arrays.equals(inputShape, b.inputShape)
                && Arrays.equals(outputShape, b.outputShape);
    }

    @Override
    public int hashCode() {
        return index * 31 + nodes.hashCode();
    }

    @Override
    public String toString() {
        return "block-" + index + " #" + firstNode() + "..#" + lastNode() + " " + inputValue + Shapes.format(inputShape)
                + " -> " + outputValue + Shapes.format(outputShape) + " convs " + convCount + " params " + params
                + " flops " + flops + " layers " + layers;
    }
}
