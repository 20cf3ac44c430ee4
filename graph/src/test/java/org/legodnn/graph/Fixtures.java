package org.legodnn.graph;

import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;
import org.legodnn.testing.ReferenceData;

/** The comparisons the graph tests make against PyTorch's reference outputs ({@code ReferenceData} finds them). */
public final class Fixtures {

    /** The five reference models under {@code pytorch/models}. */
    public static final String[] MODELS = {"cifar_resnet20", "cifar_resnet20_gray", "resnext_tiny", "mobilenet_v2", "resnet18"};

    private Fixtures() {
    }

    /** max |a − e| after checking shapes. */
    public static double maxAbsError(Tensor actual, Tensor expected) {
        if (!actual.sameShape(expected.shape())) {
            throw new AssertionError("shape " + Shapes.format(actual.shape()) + ", expected " + Shapes.format(expected.shape()));
        }
        double max = 0;
        float[] a = actual.data();
        float[] e = expected.data();
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - e[i]);
            if (!(d <= max)) {
                max = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
            }
        }
        return max;
    }

    /** The tolerance for model outputs: 1e-4 × max(1, max|expected|). */
    public static double modelTolerance(Tensor expected) {
        double m = 1;
        for (float v : expected.data()) {
            m = Math.max(m, Math.abs(v));
        }
        return 1e-4 * m;
    }
}
