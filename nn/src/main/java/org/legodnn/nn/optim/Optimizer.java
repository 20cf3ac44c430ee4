package org.legodnn.nn.optim;

import java.util.List;
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
