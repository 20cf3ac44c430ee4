package org.legodnn.nn.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * What every optimizer shares: the parameters it updates, the learning rate that a schedule may change
 * between steps, and clearing gradients. Subclasses implement {@link #update} for one parameter, keeping
 * per-parameter state (momentum, moments) by the parameter's index, as {@code torch.optim} keeps it per tensor.
 */
public abstract class Optimizer {

    private final List<Tensor> params;
    private double lr;

    protected Optimizer(List<Tensor> params, double lr) {
        if (!(lr >= 0)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": learning rate " + lr + " must be >= 0");
        }
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i) == null) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter " + i + " is null");
            }
        }
        this.params = List.copyOf(params);
        this.lr = lr;
    }

    /** Forgets every parameter's gradient (PyTorch's {@code zero_grad(set_to_none=True)}). */
    public void zeroGrad() {
        for (Tensor p : params) {
            p.zeroGrad();
        }
    }

    /** Updates every parameter that has a gradient; parameters without one are skipped, as in PyTorch. */
    public void step() {
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            float[] g = p.grad();
            if (g != null) {
                update(i, p.data(), g);
            }
        }
    }

    /**
     * What resuming a run needs besides the parameters (momentum buffers, moment estimates, step counts), as
     * copies keyed the way PyTorch's optimizer {@code state_dict()["state"]} flattens: {@code
     * "<parameter index>.<name>"}, e.g. {@code "3.momentum_buffer"}. Empty for a stateless optimizer.
     */
    public Map<String, Tensor> stateDict() {
        return new LinkedHashMap<>();
    }

    /**
     * Restores what {@link #stateDict()} returned for the same parameters in the same order; parameters that
     * the map does not mention start afresh. Nothing changes unless the whole map is acceptable.
     */
    public void loadStateDict(Map<String, Tensor> state) {
        if (!state.isEmpty()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".loadStateDict: this optimizer keeps no"
                    + " state, got " + state.keySet());
        }
    }

    /**
     * The parameter index of state key {@code "<index>.<name>"}, checking that {@code name} is one of
     * {@code names}; with {@code perValue}, also that the tensor has the parameter's shape (a buffer with one
     * value per parameter value, unlike a step count).
     */
    protected final int stateIndex(String key, Tensor value, boolean perValue, String... names) {
        int dot = key.indexOf('.');
        String what = getClass().getSimpleName() + ".loadStateDict: key '" + key + "'";
        int index;
        try {
            index = dot < 0 ? -1 : Integer.parseInt(key.substring(0, dot));
        } catch (NumberFormatException e) {
            index = -1;
        }
        String name = dot < 0 ? "" : key.substring(dot + 1);
        if (index < 0 || index >= params.size() || !List.of(names).contains(name)) {
            throw new IllegalArgumentException(what + " is not <parameter index 0.." + (params.size() - 1) + ">.<"
                    + String.join("|", names) + ">");
        }
        if (perValue && !value.sameShape(params.get(index).shape())) {
            throw new IllegalArgumentException(what + " has shape " + Shapes.format(value.shape())
                    + ", parameter " + index + " has shape " + Shapes.format(params.get(index).shape()));
        }
        return index;
    }

    /** Updates parameter number {@code index} in place from its gradient. */
    protected abstract void update(int index, float[] param, float[] grad);

    /** The number of parameters, for subclasses that size their state. */
    protected final int parameterCount() {
        return params.size();
    }

    public List<Tensor> parameters() {
        return params;
    }

    public double lr() {
        return lr;
    }

    /** Sets the learning rate for the following steps (what an LR schedule does). */
    public void setLr(double lr) {
        if (!(lr >= 0)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": learning rate " + lr + " must be >= 0");
        }
        this.lr = lr;
    }
}
