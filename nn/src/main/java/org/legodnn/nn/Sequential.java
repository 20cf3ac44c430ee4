package org.legodnn.nn;

import java.util.ArrayList;
import java.util.List;
import org.legodnn.tensor.Tensor;

/**
 * A chain of modules applied in order, as PyTorch's {@code nn.Sequential}: children are named
 * {@code "0"}, {@code "1"}, ... so that their weights carry the same names as in PyTorch
 * ({@code shortcut.0.weight}). An empty one passes its input through.
 */
public class Sequential extends Module {

    private final List<Module> layers = new ArrayList<>();

    public Sequential(Module... modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    /** Appends {@code module} under the next index; returns this. */
    public Sequential add(Module module) {
        registerModule(Integer.toString(layers.size()), module);
        layers.add(module);
        return this;
    }

    /** The module at {@code index}. */
    public Module get(int index) {
        if (index < 0 || index >= layers.size()) {
            throw new IndexOutOfBoundsException("Sequential: index " + index + ", size " + layers.size());
        }
        return layers.get(index);
    }

    public int size() {
        return layers.size();
    }

    public boolean isEmpty() {
        return layers.isEmpty();
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x;
        for (Module m : layers) {
            y = m.call(y);
        }
        return y;
    }
}
