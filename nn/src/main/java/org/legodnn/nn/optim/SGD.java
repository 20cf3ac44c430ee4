package org.legodnn.nn.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.legodnn.tensor.Tensor;

/**
 * Stochastic gradient descent with momentum, exactly as {@code torch.optim.SGD} (dampening 0):
 * <pre>
 *   d = g + wd·p
 *   b = d                      on the first step
 *   b = momentum·b + d         afterwards
 *   d = nesterov ? d + momentum·b : b      (when momentum ≠ 0)
 *   p = p − lr·d
 * </pre>
 * All arithmetic is float32, in PyTorch's order, so trajectories match PyTorch's to rounding.
 */
public final class SGD extends Optimizer {

    private final double momentum;
    private final double weightDecay;
    private final boolean nesterov;
    private final float[][] buffers;

    /** Plain SGD without momentum or weight decay. */
    public SGD(List<Tensor> params, double lr) {
        this(params, lr, 0, 0, false);
    }

    public SGD(List<Tensor> params, double lr, double momentum, double weightDecay, boolean nesterov) {
        super(params, lr);
        if (!(momentum >= 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("SGD: momentum " + momentum + " and weight decay " + weightDecay
                    + " must be >= 0");
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("SGD: Nesterov momentum requires a momentum > 0");
        }
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
        this.buffers = new float[parameterCount()][];
    }

    @Override
    protected void update(int index, float[] p, float[] g) {
        float wd = (float) weightDecay;
        float mu = (float) momentum;
        float negLr = (float) -lr();
        float[] buf = buffers[index];
        boolean first = buf == null;
        if (momentum != 0 && first) {
            buf = new float[p.length];
            buffers[index] = buf;
        }
        for (int i = 0; i < p.length; i++) {
            float d = weightDecay != 0 ? g[i] + wd * p[i] : g[i];
            if (momentum != 0) {
                float b = first ? d : buf[i] * mu + d;
                buf[i] = b;
                d = nesterov ? d + mu * b : b;
            }
            p[i] += negLr * d;
        }
    }

    /** The momentum buffers, as {@code "<index>.momentum_buffer"} (PyTorch's name). */
    @Override
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < buffers.length; i++) {
            if (buffers[i] != null) {
                out.put(i + ".momentum_buffer", Tensor.of(buffers[i].clone(), parameters().get(i).shape()));
            }
        }
        return out;
    }

    @Override
    public void loadStateDict(Map<String, Tensor> state) {
        float[][] loaded = new float[buffers.length][];
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            loaded[stateIndex(e.getKey(), e.getValue(), true, "momentum_buffer")] = e.getValue().data().clone();
        }
        System.arraycopy(loaded, 0, buffers, 0, buffers.length);
    }

    public double momentum() {
        return momentum;
    }

    public double weightDecay() {
        return weightDecay;
    }

    public boolean nesterov() {
        return nesterov;
    }
}
