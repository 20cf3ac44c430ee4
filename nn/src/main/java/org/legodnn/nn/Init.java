package org.legodnn.nn;

import java.util.Random;
import org.legodnn.tensor.Tensor;

/**
 * Weight initializations of {@code torch.nn.init}, filling a tensor in place from a {@link Random} so that a
 * model built twice with the same seed is the same model. Fans follow PyTorch: for a weight
 * {@code [out, in, k...]}, fan_in = in·∏k and fan_out = out·∏k.
 *
 * <p>Layers that are built without an explicit {@link Random} draw from {@link #defaultRandom()}, which
 * {@link #manualSeed(long)} resets, as {@code torch.manual_seed} does for PyTorch's global generator.
 */
public final class Init {

    /** Which fan a Kaiming initialization preserves the variance of. */
    public enum FanMode { FAN_IN, FAN_OUT }

    /** The nonlinearity that follows a layer, which sets the gain of {@code torch.nn.init.calculate_gain}. */
    public enum Nonlinearity {
        LINEAR, SIGMOID, TANH, RELU, LEAKY_RELU;

        /** The recommended gain; {@code negativeSlope} is used only by {@link #LEAKY_RELU}. */
        public double gain(double negativeSlope) {
            return switch (this) {
                case LINEAR, SIGMOID -> 1.0;
                case TANH -> 5.0 / 3.0;
                case RELU -> Math.sqrt(2.0);
                case LEAKY_RELU -> Math.sqrt(2.0 / (1.0 + negativeSlope * negativeSlope));
            };
        }
    }

    private static Random defaultRandom = new Random(0);

    private Init() {
    }

    /** The generator that layers use when none is given. */
    public static synchronized Random defaultRandom() {
        return defaultRandom;
    }

    /** Resets {@link #defaultRandom()} to a generator seeded with {@code seed}. */
    public static synchronized void manualSeed(long seed) {
        defaultRandom = new Random(seed);
    }

    /** fan_in of a weight: {@code shape[1]·∏shape[2..]} (or {@code shape[0]} for a vector). */
    public static int fanIn(Tensor w) {
        int[] s = requireWeight("fanIn", w);
        return s.length == 1 ? s[0] : s[1] * receptiveField(s);
    }

    /** fan_out of a weight: {@code shape[0]·∏shape[2..]}. */
    public static int fanOut(Tensor w) {
        int[] s = requireWeight("fanOut", w);
        return s[0] * receptiveField(s);
    }

    private static int receptiveField(int[] s) {
        int r = 1;
        for (int i = 2; i < s.length; i++) {
            r *= s[i];
        }
        return r;
    }

    private static int[] requireWeight(String op, Tensor w) {
        int[] s = w.shape();
        if (s.length < 1) {
            throw new IllegalArgumentException(op + ": needs a tensor with at least one dimension, got a scalar");
        }
        return s;
    }

    /** Fills {@code t} with values uniform in {@code [low, high)}; returns it. */
    public static Tensor uniform(Tensor t, double low, double high, Random rnd) {
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (low + (high - low) * rnd.nextDouble());
        }
        return t;
    }

    /** Fills {@code t} with normal values of the given mean and standard deviation; returns it. */
    public static Tensor normal(Tensor t, double mean, double std, Random rnd) {
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (mean + std * rnd.nextGaussian());
        }
        return t;
    }

    /** Fills {@code t} with {@code value}; returns it. */
    public static Tensor constant(Tensor t, float value) {
        java.util.Arrays.fill(t.data(), value);
        return t;
    }

    /**
     * He et al. uniform: bound = gain·√(3 / fan), gain from {@code nonlinearity} and {@code a} (the
     * negative slope for leaky ReLU). {@code kaimingUniform(w, √5, FAN_IN, LEAKY_RELU)} is PyTorch's default
     * for conv and linear weights, bound = 1/√fan_in.
     */
    public static Tensor kaimingUniform(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity, Random rnd) {
        double bound = nonlinearity.gain(a) * Math.sqrt(3.0 / fan(t, mode));
        return uniform(t, -bound, bound, rnd);
    }

    /** He et al. normal: std = gain / √fan. {@code kaimingNormal(w, 0, FAN_OUT, RELU)} is the usual ResNet init. */
    public static Tensor kaimingNormal(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity, Random rnd) {
        double std = nonlinearity.gain(a) / Math.sqrt(fan(t, mode));
        return normal(t, 0.0, std, rnd);
    }

    /** Glorot uniform: bound = gain·√(6 / (fan_in + fan_out)). */
    public static Tensor xavierUniform(Tensor t, double gain, Random rnd) {
        double bound = gain * Math.sqrt(6.0 / (fanIn(t) + fanOut(t)));
        return uniform(t, -bound, bound, rnd);
    }

    /** Glorot normal: std = gain·√(2 / (fan_in + fan_out)). */
    public static Tensor xavierNormal(Tensor t, double gain, Random rnd) {
        double std = gain * Math.sqrt(2.0 / (fanIn(t) + fanOut(t)));
        return normal(t, 0.0, std, rnd);
    }

    private static int fan(Tensor t, FanMode mode) {
        int f = mode == FanMode.FAN_IN ? fanIn(t) : fanOut(t);
        if (f <= 0) {
            throw new IllegalArgumentException("kaiming: fan is " + f + " for a tensor of shape "
                    + org.legodnn.tensor.Shapes.format(t.shape()));
        }
        return f;
    }

    /** PyTorch's default for a conv or linear layer: weight and bias uniform in ±1/√fan_in of the weight. */
    static void pytorchDefault(Tensor weight, Tensor bias, Random rnd) {
        kaimingUniform(weight, Math.sqrt(5.0), FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, rnd);
        if (bias != null) {
            double bound = 1.0 / Math.sqrt(fanIn(weight));
            uniform(bias, -bound, bound, rnd);
        }
    }
}
