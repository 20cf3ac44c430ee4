package org.legodnn.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reverse-mode differentiation in one place: {@link #backward} sorts the graph that ends at a tensor
 * topologically and walks it in reverse, calling each node's local {@link BackwardFunction}. Also the switch
 * that turns graph recording off for inference ({@link #noGrad()}).
 */
public final class Autograd {

    private static final ThreadLocal<int[]> DISABLED_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private Autograd() {
    }

    /** Whether ops on this thread record the graph. */
    public static boolean isEnabled() {
        return DISABLED_DEPTH.get()[0] == 0;
    }

    /**
     * Turns graph recording off on this thread until the returned scope is closed:
     * {@code try (var g = Autograd.noGrad()) { model.forward(x); }}. Scopes nest.
     */
    public static NoGradScope noGrad() {
        DISABLED_DEPTH.get()[0]++;
        return new NoGradScope();
    }

    /** Closing it ends one {@link #noGrad()} scope. */
    public static final class NoGradScope implements AutoCloseable {
        private boolean closed;

        private NoGradScope() {
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                DISABLED_DEPTH.get()[0]--;
            }
        }
    }

    /**
     * Adds {@code upstream} to the root's gradient and propagates it to every leaf that requires one. Leaf
     * gradients accumulate across calls (zero them between steps); gradients of intermediate results are
     * released as soon as their own backward has run, as PyTorch does (and given back to the open
     * {@link Workspace}, if any, to serve the rest of the walk).
     */
    static void backward(Tensor root, float[] upstream) {
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward: the tensor does not require a gradient "
                    + "(no parameter or input with requiresGrad took part, or it was computed under noGrad)");
        }
        if (upstream.length != root.size()) {
            throw new IllegalArgumentException("backward: upstream gradient has " + upstream.length
                    + " values, the tensor has " + root.size());
        }
        float[] g = root.gradBuffer();
        for (int i = 0; i < g.length; i++) {
            g[i] += upstream[i];
        }
        List<Tensor> order = topologicalOrder(root);
        for (int i = order.size() - 1; i >= 0; i--) {
            Tensor node = order.get(i);
            if (node.isLeaf()) {
                continue;
            }
            float[] grad = node.grad();
            if (grad != null) {
                node.backwardFunction().apply(grad);
                node.setGrad(null);
                if (!handedOn(grad, node.parents())) {
                    Workspace.giveBack(grad);
                }
            }
        }
    }

    /** Whether a backward function passed its upstream gradient {@code grad} on to a parent as that parent's own. */
    private static boolean handedOn(float[] grad, Tensor[] parents) {
        for (Tensor p : parents) {
            if (p != null && p.grad() == grad) {
                return true;
            }
        }
        return false;
    }

    /** Every tensor that {@code root} depends on, each after all of its parents (iterative, no recursion). */
    static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        Map<Tensor, Boolean> visited = new IdentityHashMap<>();
        ArrayDeque<Tensor> stack = new ArrayDeque<>();
        ArrayDeque<Integer> nextParent = new ArrayDeque<>();
        stack.push(root);
        nextParent.push(0);
        visited.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Tensor node = stack.peek();
            int i = nextParent.pop();
            Tensor[] parents = node.isLeaf() ? new Tensor[0] : node.parents();
            while (i < parents.length && (parents[i] == null || !parents[i].requiresGrad() || visited.containsKey(parents[i]))) {
                i++;
            }
            if (i < parents.length) {
                nextParent.push(i + 1);
                Tensor p = parents[i];
                visited.put(p, Boolean.TRUE);
                stack.push(p);
                nextParent.push(0);
            } else {
                stack.pop();
                order.add(node);
            }
        }
        return Collections.unmodifiableList(order);
    }
}
