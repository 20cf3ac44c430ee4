package org.legodnn.nn.optim;

import java.util.List;
import org.legodnn.tensor.Tensor;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), as {@code torch.optim.AdamW}: each step first
 * shrinks the parameter, p = p·(1 − lr·wd), then takes the plain Adam step; the decay never enters the moments.
 */
public final class AdamW extends Adam {

    /** β = (0.9, 0.999), eps 1e-8, weight decay 0.01 (PyTorch's defaults). */
    public AdamW(List<Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0.01);
    }

    public AdamW(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        super(params, lr, beta1, beta2, eps, weightDecay, true);
    }
}
