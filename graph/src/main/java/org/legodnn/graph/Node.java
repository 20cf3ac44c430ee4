package org.legodnn.graph;

import java.util.List;
import java.util.Objects;

/**
 * One op of a graph: what it computes ({@link Op} and its {@link Attrs}), which named values it reads and
 * writes, and the module it came from, so that analyses and pruning can speak of {@code layer1.0.conv1}
 * rather than of node 7.
 *
 * @param index      the position in the graph's topological order; -1 until a {@link Graph} numbers it
 * @param name       unique within the graph (ONNX node name, or the module path and op for traced graphs)
 * @param inputs     value names; weights are initializers named as in a PyTorch state dict
 * @param outputs    value names, one per result (every op here has one)
 * @param modulePath the dotted PyTorch module path ({@code layer1.0.conv1}), "" when unknown or top level
 */
public record Node(int index, String name, Op op, Attrs attrs, List<String> inputs, List<String> outputs,
                   String modulePath) {

    public Node {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(attrs, "attrs");
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        modulePath = modulePath == null ? "" : modulePath;
    }

    /** A node not yet placed in a graph. */
    public static Node of(String name, Op op, Attrs attrs, List<String> inputs, List<String> outputs, String modulePath) {
        return new Node(-1, name, op, attrs, inputs, outputs, modulePath);
    }

    /** The same node with another position. */
    public Node withIndex(int newIndex) {
        return new Node(newIndex, name, op, attrs, inputs, outputs, modulePath);
    }

    /** The {@code i}-th input name, or null when the node has fewer inputs. */
    public String input(int i) {
        return i < inputs.size() ? inputs.get(i) : null;
    }

    /** The single output (every op of the engine has one). */
    public String output() {
        return outputs.get(0);
    }

    /** The attributes as the record type that {@code type} names; fails with the node's name otherwise. */
    public <A extends Attrs> A attrs(Class<A> type) {
        if (!type.isInstance(attrs)) {
            throw new IllegalStateException("node " + name + " (" + op.label() + ") has attributes " + attrs
                    + ", expected " + type.getSimpleName());
        }
        return type.cast(attrs);
    }

    @Override
    public String toString() {
        return "#" + index + " " + name + " " + op.label() + " " + inputs + " -> " + outputs
                + (modulePath.isEmpty() ? "" : " @" + modulePath);
    }
}
