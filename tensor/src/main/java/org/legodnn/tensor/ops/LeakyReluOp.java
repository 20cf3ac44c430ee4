package org.legodnn.tensor.ops;

import org.legodnn.tensor.Tensor;

/**
 * {@code x} where positive, {@code slope·x} elsewhere: the discriminator's and GANomaly encoders' nonlinearity,
 * which keeps a gradient for negative inputs. The slope travels as the op's one setting (its float bits) so that
 * the graph tracer records it. As PyTorch, the gradient at exactly 0 is the slope's.
 */
public final class LeakyReluOp {

    private LeakyReluOp() {
    }

    public static Tensor apply(Tensor x, float slope) {
        float[] xd = x.data();
        float[] y = new float[xd.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = xd[i] > 0 ? xd[i] : xd[i] * slope;
        }
        return Tensor.result("leaky_relu", new int[] {Float.floatToIntBits(slope)}, y, x.shape(), gy -> {
            float[] gx = x.gradBuffer();
            for (int i = 0; i < gy.length; i++) {
                gx[i] += xd[i] > 0 ? gy[i] : gy[i] * slope;
            }
        }, x);
    }
}
