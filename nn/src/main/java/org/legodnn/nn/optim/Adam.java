package org.legodnn.nn.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.legodnn.tensor.Tensor;

/**
 * Adam, exactly as {@code torch.optim.Adam}; with {@code decoupled} it is AdamW ({@link AdamW}). At step t:
 * <pre>
 *   p = p·(1 − lr·wd)                      (AdamW only: decoupled weight decay)
 *   g = g + wd·p                           (Adam only: L2 added to the gradient)
 *   m = β1·m + (1 − β1)·g
 *   v = β2·v + (1 − β2)·g²
 *   p = p − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + eps)
 * </pre>
 * Moments are float32 and updated in PyTorch's order; the bias corrections are computed in double, as
 * Python computes them.
 */
public class Adam extends Optimizer {

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean decoupled;
    private final float[][] m;
    private final float[][] v;
    private final int[] steps;

    /** β = (0.9, 0.999), eps 1e-8, no weight decay. */
    public Adam(List<Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0);
    }

    /** Adam with L2 weight decay added to the gradient. */
    public Adam(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        this(params, lr, beta1, beta2, eps, weightDecay, false);
    }

    protected Adam(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay,
                   boolean decoupled) {
        super(params, lr);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps >= 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": invalid betas (" + beta1 + ", " + beta2
                    + "), eps " + eps + " or weight decay " + weightDecay + " (expected betas in [0, 1), eps, wd >= 0)");
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
        this.m = new float[parameterCount()][];
        this.v = new float[parameterCount()][];
        this.steps = new int[parameterCount()];
    }

    @Override
    protected void update(int index, float[] p, float[] g) {
        if (m[index] == null) {
            m[index] = new float[p.length];
            v[index] = new float[p.length];
        }
        float[] mi = m[index];
        float[] vi = v[index];
        int t = ++steps[index];
        double lr = lr();
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float oneMinusB1 = (float) (1 - beta1);
        float oneMinusB2 = (float) (1 - beta2);
        float wd = (float) weightDecay;
        float decay = (float) (1 - lr * weightDecay);
        double biasCorrection1 = 1 - Math.pow(beta1, t);
        float biasCorrection2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, t));
        float negStepSize = (float) -(lr / biasCorrection1);
        float epsF = (float) eps;
        for (int i = 0; i < p.length; i++) {
            float gi = g[i];
            if (weightDecay != 0) {
                if (decoupled) {
                    p[i] *= decay;
                } else {
                    gi += wd * p[i];
                }
            }
            float mNew = mi[i] * b1 + oneMinusB1 * gi;
            float vNew = vi[i] * b2 + oneMinusB2 * gi * gi;
            mi[i] = mNew;
            vi[i] = vNew;
            float denom = (float) Math.sqrt(vNew) / biasCorrection2Sqrt + epsF;
            p[i] += negStepSize * (mNew / denom);
        }
    }

    /** The moments and step counts, as {@code "<index>.exp_avg"}, {@code ".exp_avg_sq"}, {@code ".step"} (PyTorch's names). */
    @Override
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < m.length; i++) {
            if (m[i] != null) {
                int[] shape = parameters().get(i).shape();
                out.put(i + ".step", Tensor.scalar(steps[i]));
                out.put(i + ".exp_avg", Tensor.of(m[i].clone(), shape));
                out.put(i + ".exp_avg_sq", Tensor.of(v[i].clone(), shape));
            }
        }
        return out;
    }

    @Override
    public void loadStateDict(Map<String, Tensor> state) {
        float[][] newM = new float[m.length][];
        float[][] newV = new float[v.length][];
        int[] newSteps = new int[steps.length];
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            boolean step = e.getKey().endsWith(".step");
            int i = step ? stateIndex(e.getKey(), e.getValue(), false, "step")
                    : stateIndex(e.getKey(), e.getValue(), true, "exp_avg", "exp_avg_sq");
            if (step) {
                newSteps[i] = Math.round(e.getValue().data()[0]);
            } else if (e.getKey().endsWith(".exp_avg")) {
                newM[i] = e.getValue().data().clone();
            } else {
                newV[i] = e.getValue().data().clone();
            }
        }
        for (int i = 0; i < m.length; i++) {
            if ((newM[i] == null) != (newV[i] == null) || (newM[i] != null) != (newSteps[i] > 0)) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ".loadStateDict: parameter " + i
                        + " needs step, exp_avg and exp_avg_sq together");
            }
        }
        System.arraycopy(newM, 0, m, 0, m.length);
        System.arraycopy(newV, 0, v, 0, v.length);
        System.arraycopy(newSteps, 0, steps, 0, steps.length);
    }

    public double beta1() {
        return beta1;
    }

    public double beta2() {
        return beta2;
    }

    public double eps() {
        return eps;
    }

    public double weightDecay() {
        return weightDecay;
    }
}
