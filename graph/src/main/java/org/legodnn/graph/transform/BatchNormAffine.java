package org.legodnn.graph.transform;

import org.legodnn.graph.Attrs;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;

/**
 * An inference BatchNorm as the per-channel affine map it is, {@code y = x·scale[c] + shift[c]} with
 * {@code scale = gamma / sqrt(var + eps)} and {@code shift = beta − mean·scale}, so that every backend that
 * runs a BatchNorm no convolution absorbed ({@link FoldBatchNorm}) computes the same numbers from one formula.
 * Computed in double, rounded to float once.
 *
 * @param scale per channel
 * @param shift per channel
 */
public record BatchNormAffine(float[] scale, float[] shift) {

    /**
     * The affine map of {@code bn}, whose gamma, beta, mean and variance must be initializers of {@code graph}.
     *
     * @throws IllegalArgumentException when {@code bn} is not a BatchNorm or its statistics are computed values
     */
    public static BatchNormAffine of(Graph graph, Node bn) {
        if (bn.op() != Op.BATCH_NORM || bn.inputs().size() < 5) {
            throw new IllegalArgumentException("BatchNormAffine: node '" + bn.name() + "' is " + bn.op().label()
                    + " with " + bn.inputs().size() + " inputs (expected batch_norm with x, gamma, beta, mean, var)");
        }
        for (int i = 1; i < 5; i++) {
            if (!graph.isInitializer(bn.input(i))) {
                throw new IllegalArgumentException("BatchNormAffine: input " + i + " ('" + bn.input(i) + "') of node '"
                        + bn.name() + "' is computed (expected gamma, beta, mean and var to be constants)");
            }
        }
        float[] gamma = graph.initializer(bn.input(1)).data();
        float[] beta = graph.initializer(bn.input(2)).data();
        float[] mean = graph.initializer(bn.input(3)).data();
        float[] var = graph.initializer(bn.input(4)).data();
        double eps = bn.attrs(Attrs.BatchNorm.class).eps();
        float[] scale = new float[gamma.length];
        float[] shift = new float[gamma.length];
        for (int c = 0; c < gamma.length; c++) {
            double s = scale(gamma[c], var[c], eps);
            scale[c] = (float) s;
            shift[c] = (float) (beta[c] - mean[c] * s);
        }
        return new BatchNormAffine(scale, shift);
    }

    /** {@code gamma / sqrt(var + eps)} in double: the factor by which the BatchNorm scales its channel. */
    public static double scale(float gamma, float var, double eps) {
        return gamma / Math.sqrt(var + eps);
    }
}
