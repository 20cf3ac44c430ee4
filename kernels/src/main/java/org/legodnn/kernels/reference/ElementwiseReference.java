package org.legodnn.kernels.reference;

/**
 * One element at a time, the obvious way: the yardstick that {@link org.legodnn.kernels.ElementwiseKernel}
 * is checked against.
 */
public final class ElementwiseReference {

    private ElementwiseReference() {
    }

    /** {@code y = x < 0 ? 0 : x} (NaN stays NaN). */
    public static void relu(int len, float[] x, float[] y) {
        for (int i = 0; i < len; i++) {
            y[i] = x[i] < 0f ? 0f : x[i];
        }
    }

    public static void reluBackward(int len, float[] x, float[] gy, float[] gx) {
        for (int i = 0; i < len; i++) {
            gx[i] = x[i] > 0f ? gy[i] : 0f;
        }
    }

    /** {@code y = min(max(x, 0), 6)} (NaN stays NaN). */
    public static void relu6(int len, float[] x, float[] y) {
        for (int i = 0; i < len; i++) {
            y[i] = x[i] < 0f ? 0f : (x[i] > 6f ? 6f : x[i]);
        }
    }

    public static void relu6Backward(int len, float[] x, float[] gy, float[] gx) {
        for (int i = 0; i < len; i++) {
            gx[i] = x[i] > 0f && x[i] < 6f ? gy[i] : 0f;
        }
    }

    public static void add(int len, float[] a, float[] b, float[] y) {
        for (int i = 0; i < len; i++) {
            y[i] = a[i] + b[i];
        }
    }

    public static void addInPlace(int len, float[] y, float[] x) {
        for (int i = 0; i < len; i++) {
            y[i] += x[i];
        }
    }

    /** {@code y = e^x}, in double and rounded once. */
    public static void exp(int len, float[] x, float[] y) {
        for (int i = 0; i < len; i++) {
            y[i] = (float) Math.exp(x[i]);
        }
    }

    /** {@code y = 1 / (1 + e^-x)}, in double and rounded once. */
    public static void sigmoid(int len, float[] x, float[] y) {
        for (int i = 0; i < len; i++) {
            y[i] = (float) (1.0 / (1.0 + Math.exp(-x[i])));
        }
    }

    public static void tanh(int len, float[] x, float[] y) {
        for (int i = 0; i < len; i++) {
            y[i] = (float) Math.tanh(x[i]);
        }
    }
}
