package org.legodnn.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * The unit a model is built from, as PyTorch's {@code nn.Module}: it owns named parameters, buffers and child
 * modules in registration order, so that every weight has the same dotted name as in a PyTorch state dict
 * ({@code layer1.0.conv1.weight}) and weights move between the two engines by name.
 *
 * <p>A parameter is a plain {@link Tensor} that {@link #registerParameter} marks with
 * {@code requiresGrad(true)}; a buffer is a tensor that is saved with the model but not trained (BatchNorm's
 * running statistics). {@link #loadStateDict} copies values into the registered tensors in place, so
 * an optimizer that already holds them keeps working.
 */
public abstract class Module {

    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final Set<String> optionalOnLoad = new HashSet<>();
    private boolean training = true;

    private static final ThreadLocal<CallObserver> OBSERVER = new ThreadLocal<>();

    /** Computes this module's output. Parents run their children through {@link #call}, not this. */
    public abstract Tensor forward(Tensor x);

    /**
     * Runs {@link #forward} on behalf of a parent. Models call their children through this method so that a
     * tracer (the graph module) learns which module produced which values; without one it costs a field read.
     */
    public final Tensor call(Tensor x) {
        CallObserver observer = OBSERVER.get();
        if (observer == null) {
            return forward(x);
        }
        observer.enter(this, x);
        Tensor y = forward(x);
        observer.exit(this, y);
        return y;
    }

    /** Sees every {@link #call} on the observing thread: module entries and exits, properly nested. */
    public interface CallObserver {
        void enter(Module module, Tensor input);

        void exit(Module module, Tensor output);
    }

    /**
     * Lets {@code observer} see the module calls made on this thread until the returned scope is closed.
     * One observer at a time; scopes do not nest.
     */
    public static ObserverScope observeCalls(CallObserver observer) {
        if (OBSERVER.get() != null) {
            throw new IllegalStateException("observeCalls: another observer is already active on this thread");
        }
        OBSERVER.set(observer);
        return new ObserverScope();
    }

    /** Closing it detaches the observer installed by {@link #observeCalls}. */
    public static final class ObserverScope implements AutoCloseable {
        private ObserverScope() {
        }

        @Override
        public void close() {
            OBSERVER.remove();
        }
    }

    // ---- registration -------------------------------------------------------------------------------------

    /** Registers a trainable tensor under {@code name} and marks it as requiring a gradient; returns it. */
    protected final Tensor registerParameter(String name, Tensor value) {
        checkNewName(name);
        value.requiresGrad(true);
        parameters.put(name, value);
        return value;
    }

    /** Registers a saved, untrained tensor (e.g. a running mean) under {@code name}; returns it. */
    protected final Tensor registerBuffer(String name, Tensor value) {
        checkNewName(name);
        buffers.put(name, value);
        return value;
    }

    /**
     * Registers a buffer that {@link #loadStateDict} accepts as absent even when strict, as PyTorch does for
     * BatchNorm's {@code num_batches_tracked} (state dicts written without it still load).
     */
    protected final Tensor registerOptionalBuffer(String name, Tensor value) {
        registerBuffer(name, value);
        optionalOnLoad.add(name);
        return value;
    }

    /** Registers a child module under {@code name}; its tensors are named {@code name.<their name>}. */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkNewName(name);
        if (module == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": child module '" + name + "' is null");
        }
        children.put(name, module);
        return module;
    }

    private void checkNewName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": invalid name '" + name
                    + "' (expected a non-empty name without '.')");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name + "' is already registered");
        }
    }

    // ---- mode ---------------------------------------------------------------------------------------------

    /** Switches this module and all its descendants to training mode (batch statistics, dropout on). */
    public Module train() {
        return train(true);
    }

    /** Sets training mode on this module and all its descendants. */
    public Module train(boolean mode) {
        training = mode;
        for (Module child : children.values()) {
            child.train(mode);
        }
        return this;
    }

    /** Switches this module and all its descendants to evaluation mode (running statistics, no dropout). */
    public Module eval() {
        return train(false);
    }

    public boolean isTraining() {
        return training;
    }

    // ---- access -------------------------------------------------------------------------------------------

    /** The direct children by name, in registration order. */
    public Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(children);
    }

    /** This module (name "") and every descendant, by dotted path, parents before children. */
    public Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        collectModules("", out);
        return out;
    }

    private void collectModules(String path, Map<String, Module> out) {
        out.put(path, this);
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().collectModules(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out);
        }
    }

    /** Every parameter by dotted path: this module's own first, then each child's, recursively. */
    public Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, true, false);
        return out;
    }

    /** Every parameter, in the order of {@link #namedParameters()}: what an optimizer is given. */
    public List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Every buffer by dotted path. */
    public Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, false, true);
        return out;
    }

    /** The number of trainable values (buffers excluded), as {@code sum(p.numel() for p in parameters())}. */
    public long parameterCount() {
        long n = 0;
        for (Tensor p : namedParameters().values()) {
            n += p.size();
        }
        return n;
    }

    /**
     * Parameters and buffers by dotted path, in PyTorch's {@code state_dict()} order (per module: its
     * parameters, then its buffers, then its children). The tensors are the live ones, not copies.
     */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, true, true);
        return out;
    }

    private void collect(String prefix, Map<String, Tensor> out, boolean params, boolean bufs) {
        if (params) {
            for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
                out.put(prefix + e.getKey(), e.getValue());
            }
        }
        if (bufs) {
            for (Map.Entry<String, Tensor> e : buffers.entrySet()) {
                out.put(prefix + e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().collect(prefix + e.getKey() + ".", out, params, bufs);
        }
    }

    /** The dotted paths of this module's tensors that may be absent when loading. */
    private Set<String> optionalKeys() {
        Set<String> out = new HashSet<>();
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            for (String name : e.getValue().optionalOnLoad) {
                out.add(prefix + name);
            }
        }
        return out;
    }

    // ---- loading ------------------------------------------------------------------------------------------

    /** What a non-strict {@link #loadStateDict} left out: model tensors not in the map, map entries not in the model. */
    public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {
    }

    /**
     * Copies {@code state} into this module's parameters and buffers by name, as PyTorch's
     * {@code load_state_dict}. A shape mismatch is always an error. When {@code strict}, a name that the
     * model has and the map lacks (except optional buffers such as {@code num_batches_tracked}), or one
     * that the map has and the model lacks, is an error too; the message lists every such name with its
     * shape. Nothing is copied unless the whole map is acceptable.
     */
    public LoadResult loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> own = stateDict();
        Set<String> optional = optionalKeys();
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor given = state.get(e.getKey());
            if (given == null) {
                if (!optional.contains(e.getKey())) {
                    missing.add(e.getKey());
                    if (strict) {
                        problems.add("missing key '" + e.getKey() + "' (the model has shape "
                                + Shapes.format(e.getValue().shape()) + ", the state dict has no such key)");
                    }
                }
            } else if (!e.getValue().sameShape(given.shape())) {
                problems.add("size mismatch for '" + e.getKey() + "': the state dict has shape "
                        + Shapes.format(given.shape()) + ", the model has shape " + Shapes.format(e.getValue().shape()));
            }
        }
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            if (!own.containsKey(e.getKey())) {
                unexpected.add(e.getKey());
                if (strict) {
                    problems.add("unexpected key '" + e.getKey() + "' (the state dict has shape "
                            + Shapes.format(e.getValue().shape()) + ", the model has no such key)");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("loadStateDict into " + getClass().getSimpleName() + ": "
                    + String.join("; ", problems));
        }
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor given = state.get(e.getKey());
            if (given != null) {
                System.arraycopy(given.data(), 0, e.getValue().data(), 0, given.size());
            }
        }
        return new LoadResult(List.copyOf(missing), List.copyOf(unexpected));
    }

    @Override
    public String toString() {
        return getClass().getSimpleName();
    }
}
