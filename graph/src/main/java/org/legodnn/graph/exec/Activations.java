package org.legodnn.graph.exec;

import org.legodnn.graph.Attrs;
import org.legodnn.graph.Op;
import org.legodnn.kernels.Backends;
import org.legodnn.tensor.Tensor;

/**
 * The pointwise activations of the graph. ReLU, ReLU6, sigmoid, tanh and exp use the backend's kernels (SIMD
 * or scalar); the others, which appear once or twice per block in the models that use them, are plain loops.
 */
final class Activations {

    private Activations() {
    }

    static Tensor apply(Op op, Attrs attrs, Tensor x) {
        float[] in = x.data();
        float[] y = new float[in.length];
        switch (op) {
            case RELU -> Backends.current().relu(in.length, in, y);
            case CLIP -> {
                Attrs.Clip c = (Attrs.Clip) attrs;
                if (c.isRelu6()) {
                    Backends.current().relu6(in.length, in, y);
                } else {
                    float lo = c.min();
                    float hi = c.max();
                    for (int i = 0; i < in.length; i++) {
                        y[i] = Math.min(Math.max(in[i], lo), hi);
                    }
                }
            }
            case LEAKY_RELU -> {
                float alpha = ((Attrs.LeakyRelu) attrs).alpha();
                for (int i = 0; i < in.length; i++) {
                    y[i] = in[i] >= 0 ? in[i] : alpha * in[i];
                }
            }
            case SIGMOID -> Backends.current().sigmoid(in.length, in, y);
            case TANH -> Backends.current().tanh(in.length, in, y);
            case EXP -> Backends.current().exp(in.length, in, y);
            case HARD_SIGMOID -> {
                Attrs.HardSigmoid h = (Attrs.HardSigmoid) attrs;
                for (int i = 0; i < in.length; i++) {
                    y[i] = Math.max(0f, Math.min(1f, h.alpha() * in[i] + h.beta()));
                }
            }
            case HARD_SWISH -> {
                for (int i = 0; i < in.length; i++) {
                    y[i] = in[i] * Math.max(0f, Math.min(6f, in[i] + 3f)) / 6f;
                }
            }
            default -> throw new IllegalArgumentException("not an activation: " + op);
        }
        return Tensor.of(y, x.shape());
    }
}
