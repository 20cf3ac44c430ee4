package org.legodnn.graph.module;

import org.legodnn.nn.Module;
import org.legodnn.tensor.Tensor;

/**
 * A named level of a {@link GraphModule}'s hierarchy ({@code layer1}, {@code layer1.0}, ...): it only holds
 * children, parameters and buffers, so that state-dict names come out dotted as in PyTorch. It computes
 * nothing itself.
 */
final class Scope extends Module {

    @Override
    public Tensor forward(Tensor x) {
        throw new UnsupportedOperationException("a GraphModule scope holds weights and does not compute; "
                + "call the GraphModule");
    }

    /** Registers {@code t} on {@code owner} (a GraphModule or a Scope) as a parameter or a buffer. */
    static void register(Module owner, String local, Tensor t, boolean parameter, String fullName) {
        try {
            if (owner instanceof Scope s) {
                s.add(local, t, parameter);
            } else {
                ((GraphModule) owner).addTensor(local, t, parameter);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("GraphModule: initializer '" + fullName + "' cannot be registered: "
                    + e.getMessage(), e);
        }
    }

    /** Adds {@code child} under {@code local} to {@code parent}. */
    static void attach(Module parent, String local, Scope child, String path) {
        try {
            if (parent instanceof Scope s) {
                s.registerModule(local, child);
            } else {
                ((GraphModule) parent).addScope(local, child);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("GraphModule: module path '" + path + "' cannot be registered: "
                    + e.getMessage(), e);
        }
    }

    private void add(String local, Tensor t, boolean parameter) {
        if (parameter) {
            registerParameter(local, t);
        } else {
            registerBuffer(local, t);
        }
    }
}
