package org.legodnn.graph.exec;

import org.legodnn.graph.Attrs;
import org.legodnn.tensor.Tensor;

/**
 * Pooling by the definition, one output at a time, for anyone outside the interpreter who must know what
 * a pool with given settings computes (the tracer uses it to tell AvgPool2d's divisor rules apart).
 */
public final class PoolingReference {

    private PoolingReference() {
    }

    public static Tensor avgPool(Tensor x, Attrs.Pool a) {
        return Pooling.loops(x, a, false);
    }

    public static Tensor maxPool(Tensor x, Attrs.Pool a) {
        return Pooling.loops(x, a, true);
    }
}
