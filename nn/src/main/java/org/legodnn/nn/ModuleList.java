package org.legodnn.nn;

import java.util.ArrayList;
import java.util.List;
import org.legodnn.tensor.Tensor;

/**
 * Children held by index without an order of application, as PyTorch's {@code nn.ModuleList}: parallel
 * branches (an ASPP's five) get the state-dict names {@code convs.0.…}, {@code convs.1.…} and the owner
 * decides how to call them. Calling the list itself is an error.
 */
public final class ModuleList extends Module {

    private final List<Module> modules = new ArrayList<>();

    public ModuleList(Module... modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    /** Appends {@code module} under the next index; returns this. */
    public ModuleList add(Module module) {
        registerModule(Integer.toString(modules.size()), module);
        modules.add(module);
        return this;
    }

    /** The module at {@code index}. */
    public Module get(int index) {
        if (index < 0 || index >= modules.size()) {
            throw new IndexOutOfBoundsException("ModuleList: index " + index + ", size " + modules.size());
        }
        return modules.get(index);
    }

    public int size() {
        return modules.size();
    }

    @Override
    public Tensor forward(Tensor x) {
        throw new UnsupportedOperationException("ModuleList: a list of " + modules.size()
                + " modules has no forward of its own; call its modules");
    }
}
