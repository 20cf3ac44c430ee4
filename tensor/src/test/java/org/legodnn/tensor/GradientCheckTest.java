package org.legodnn.tensor;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every op's backward against central finite differences of its own forward, so that a gradient is right
 * for shapes and attributes that the PyTorch fixtures do not cover. The loss is {@code Σ y·r} for a fixed
 * random {@code r}; inputs are chosen away from kinks (ReLU's 0 and 6, ties in max pooling).
 */
class GradientCheckTest {

    private static final double STEP = 5e-3;
    private static final double RTOL = 2e-2;

    private final Random rnd = new Random(1234);

    // ---- arithmetic ---------------------------------------------------------------------------------------

    @Test
    void add() {
        check("add", in -> Ops.add(in[0], in[1]), randn(2, 3), randn(2, 3));
    }

    @Test
    void sub() {
        check("sub", in -> Ops.sub(in[0], in[1]), randn(2, 3), randn(2, 3));
    }

    @Test
    void mul() {
        check("mul", in -> Ops.mul(in[0], in[1]), randn(2, 3), randn(2, 3));
    }

    @Test
    void mulOfATensorWithItselfAccumulates() {
        check("mul(x, x)", in -> Ops.mul(in[0], in[0]), randn(7));
    }

    @Test
    void scale() {
        check("scale", in -> Ops.scale(in[0], -2.5f), randn(4, 2));
    }

    @Test
    void sumAndMean() {
        check("sum", in -> Ops.sum(in[0]), randn(3, 4));
        check("mean", in -> Ops.mean(in[0]), randn(3, 4));
    }

    @Test
    void reshapeAndFlatten() {
        check("reshape", in -> Ops.mul(Ops.reshape(in[0], 4, -1), in[1]), randn(2, 3, 2), randn(4, 3));
        check("flatten", in -> Ops.flatten(in[0]), randn(2, 3, 2, 2));
    }

    @Test
    void matmul() {
        check("matmul", in -> Ops.matmul(in[0], in[1]), randn(3, 5), randn(5, 4));
    }

    @Test
    void linear() {
        check("linear", in -> Ops.linear(in[0], in[1], in[2]), randn(4, 6), randn(5, 6), randn(5));
        check("linear without bias", in -> Ops.linear(in[0], in[1], null), randn(3, 2, 6), randn(5, 6));
    }

    // ---- convolution --------------------------------------------------------------------------------------

    @Test
    void conv2d() {
        check("conv3x3", in -> Ops.conv2d(in[0], in[1], in[2], 1, 1, 1, 1), randn(2, 3, 5, 5), randn(4, 3, 3, 3), randn(4));
        check("conv stride 2", in -> Ops.conv2d(in[0], in[1], null, 2, 1, 1, 1), randn(1, 3, 6, 7), randn(2, 3, 3, 3));
        check("conv dilation 2", in -> Ops.conv2d(in[0], in[1], in[2], 1, 2, 2, 1), randn(1, 2, 6, 6), randn(3, 2, 3, 3), randn(3));
        check("conv groups 2", in -> Ops.conv2d(in[0], in[1], null, 1, 0, 1, 2), randn(2, 4, 4, 4), randn(6, 2, 2, 2));
        check("conv depthwise", in -> Ops.conv2d(in[0], in[1], in[2], 2, 1, 1, 3), randn(2, 3, 5, 5), randn(3, 1, 3, 3), randn(3));
        check("conv rectangular", in -> Ops.conv2d(in[0], in[1], null, 2, 1, 0, 1, 1, 1, 1), randn(1, 2, 5, 6), randn(2, 2, 1, 3));
    }

    @Test
    void conv2dOfASharedInputAccumulates() {
        check("conv shared", in -> Ops.add(Ops.conv2d(in[0], in[1], null, 1, 1, 1, 1),
                Ops.conv2d(in[0], in[2], null, 1, 1, 1, 1)), randn(1, 2, 4, 4), randn(3, 2, 3, 3), randn(3, 2, 3, 3));
    }

    @Test
    void convTranspose2d() {
        check("conv_transpose s2", in -> Ops.convTranspose2d(in[0], in[1], in[2], 2, 1, 1, 1, 1),
                randn(2, 3, 3, 3), randn(3, 2, 3, 3), randn(2));
        check("conv_transpose groups", in -> Ops.convTranspose2d(in[0], in[1], null, 1, 0, 0, 1, 2),
                randn(1, 4, 3, 3), randn(4, 1, 2, 2));
    }

    // ---- normalization and activations --------------------------------------------------------------------

    @Test
    void batchNormTraining() {
        check("batch_norm2d train", in -> Ops.batchNorm2d(in[0], in[1], in[2], Tensor.zeros(3), Tensor.full(1f, 3),
                true, 0.1f, 1e-5f), randn(2, 3, 3, 3), randn(3), randn(3));
    }

    @Test
    void batchNormEval() {
        Tensor mean = randn(3);
        Tensor var = Tensor.uniform(rnd, 0.5f, 2f, 3);
        check("batch_norm2d eval", in -> Ops.batchNorm2d(in[0], in[1], in[2], mean, var, false, 0.1f, 1e-5f),
                randn(2, 3, 3, 3), randn(3), randn(3));
    }

    @Test
    void relu() {
        check("relu", in -> Ops.relu(in[0]), spaced(-1f, 2, 3, 4));
    }

    @Test
    void relu6() {
        check("relu6", in -> Ops.relu6(Ops.scale(in[0], 4f)), spaced(-1f, 2, 3, 5)); // spans 0 and 6
    }

    @Test
    void dropoutWithAFixedSeed() {
        check("dropout", in -> Ops.dropout(in[0], 0.4f, true, new Random(7)), randn(3, 8));
    }

    @Test
    void softmax() {
        check("softmax", in -> Ops.softmax(in[0]), randn(3, 5));
        check("softmax on channels", in -> Ops.softmax(in[0], 1), randn(2, 3, 2, 3));
        check("softmax on axis 0", in -> Ops.softmax(in[0], 0), randn(3, 2, 2));
        check("softmax on axis -2", in -> Ops.softmax(in[0], -2), randn(2, 4, 3));
    }

    @Test
    void sigmoidTanhExp() {
        check("sigmoid", in -> Ops.sigmoid(in[0]), randn(2, 3, 3, 3));
        check("tanh", in -> Ops.tanh(in[0]), randn(37));
        check("exp", in -> Ops.exp(in[0]), randn(2, 19));
    }

    @Test
    void sliceAndNarrow() {
        check("slice channels", in -> Ops.slice(in[0], 1, 1, 4, 1), randn(2, 5, 2, 2));
        check("slice step 2", in -> Ops.slice(in[0], 2, 0, 5, 2), randn(1, 2, 5, 3));
        check("slice negative", in -> Ops.slice(in[0], -1, -3, Integer.MAX_VALUE, 2), randn(2, 7));
        check("narrow", in -> Ops.narrow(in[0], 0, 1, 2), randn(4, 3));
        check("two slices of one tensor accumulate", in -> Ops.mul(Ops.slice(in[0], 1, 0, 2, 1),
                Ops.exp(Ops.slice(in[0], 1, 2, 4, 1))), randn(2, 4, 3));
    }

    // ---- pooling and layout -------------------------------------------------------------------------------

    @Test
    void maxPool2d() {
        check("max_pool2d 3x3 s2 p1", in -> Ops.maxPool2d(in[0], 3, 2, 1, false), spaced(-2f, 2, 2, 5, 5));
        check("max_pool2d 2x2 ceil", in -> Ops.maxPool2d(in[0], 2, 2, 0, true), spaced(-2f, 1, 2, 5, 5));
    }

    @Test
    void avgPool2d() {
        check("avg_pool2d include pad", in -> Ops.avgPool2d(in[0], 3, 2, 1, false, true), randn(2, 2, 5, 5));
        check("avg_pool2d exclude pad", in -> Ops.avgPool2d(in[0], 3, 2, 1, false, false), randn(2, 2, 5, 5));
        check("avg_pool2d ceil", in -> Ops.avgPool2d(in[0], 2, 2, 0, true, true), randn(1, 2, 5, 5));
    }

    @Test
    void globalAvgPool() {
        check("global avg pool", in -> Ops.globalAvgPool(in[0]), randn(2, 3, 3, 4));
    }

    @Test
    void concat() {
        check("concat", in -> Ops.concat(in[0], in[1], in[2]), randn(2, 1, 3, 2), randn(2, 3, 3, 2), randn(2, 2, 3, 2));
    }

    @Test
    void upsample() {
        check("upsample nearest", in -> Ops.upsampleNearest(in[0], 2), randn(2, 2, 3, 3));
        check("upsample bilinear 2x", in -> Ops.upsampleBilinear(in[0], 6, 8), randn(1, 2, 3, 4));
        check("upsample bilinear odd", in -> Ops.upsampleBilinear(in[0], 7, 5), randn(1, 2, 3, 4));
    }

    // ---- losses -------------------------------------------------------------------------------------------

    @Test
    void crossEntropy() {
        check("cross_entropy", in -> Ops.crossEntropy(in[0], new int[] {2, 0, 4, 4}), randn(4, 5));
        check("cross_entropy per pixel", in -> Ops.crossEntropy(in[0], new int[] {2, 0, 1, 1, 0, 2, 2, 1, 0, 0, 1, 2}),
                randn(2, 3, 2, 3));
    }

    @Test
    void mse() {
        check("mse", in -> Ops.mse(in[0], in[1]), randn(3, 4), randn(3, 4));
    }

    // ---- the check ----------------------------------------------------------------------------------------

    /**
     * Compares each input's analytic gradient of {@code Σ f(inputs)·r} with {@code (L(x+h) − L(x−h))/2h},
     * element by element: within {@link #RTOL} of the larger of the two, plus a floor of {@code RTOL/10}
     * of the largest gradient for values near zero.
     */
    private void check(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        for (Tensor t : inputs) {
            t.zeroGrad();
            t.requiresGrad(true);
        }
        Tensor y = f.apply(inputs);
        float[] r = new float[y.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) rnd.nextGaussian();
        }
        y.backward(r);
        for (int k = 0; k < inputs.length; k++) {
            float[] x = inputs[k].data();
            float[] analytic = inputs[k].grad();
            assertTrue(analytic != null, name + ": no gradient reached input " + k);
            double[] numeric = new double[x.length];
            double scale = 1e-6;
            for (int i = 0; i < x.length; i++) {
                float saved = x[i];
                x[i] = (float) (saved + STEP);
                double plus = loss(f, inputs, r);
                x[i] = (float) (saved - STEP);
                double minus = loss(f, inputs, r);
                x[i] = saved;
                numeric[i] = (plus - minus) / (2 * STEP);
                scale = Math.max(scale, Math.abs(numeric[i]));
            }
            for (int i = 0; i < x.length; i++) {
                double err = Math.abs(analytic[i] - numeric[i]);
                double tol = RTOL * Math.max(Math.abs(analytic[i]), Math.abs(numeric[i])) + 0.1 * RTOL * scale;
                if (!(err <= tol)) {
                    fail(String.format("%s: input %d %s element %d: analytic %.6g, numeric %.6g", name, k,
                            Shapes.format(inputs[k].shape()), i, analytic[i], numeric[i]));
                }
            }
        }
    }

    private static double loss(Function<Tensor[], Tensor> f, Tensor[] inputs, float[] r) {
        try (var scope = Autograd.noGrad()) {
            float[] y = f.apply(inputs).data();
            double total = 0;
            for (int i = 0; i < y.length; i++) {
                total += (double) y[i] * r[i];
            }
            return total;
        }
    }

    private Tensor randn(int... shape) {
        return Tensor.randn(rnd, shape);
    }

    /** Distinct values {@code from, from + 0.1, ...} in random order: no ties and nothing within a step of a kink. */
    private Tensor spaced(float from, int... shape) {
        int size = Shapes.checkedSize("spaced", shape);
        float[] d = new float[size];
        for (int i = 0; i < size; i++) {
            d[i] = from + 0.1f * i + 0.05f;
        }
        for (int i = size - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            float t = d[i];
            d[i] = d[j];
            d[j] = t;
        }
        return Tensor.of(d, shape);
    }
}
