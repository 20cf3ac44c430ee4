package org.legodnn.graph.analysis;

import org.legodnn.graph.Attrs;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.tensor.Shapes;

/**
 * Counts floating-point operations the way LegoDNN's profiles do, so that our numbers and the original's
 * can be compared: the {@code thop} package's counts, doubled. That is 2 × the multiply-accumulates of
 * convolutions, transposed convolutions, Gemm/Linear and MatMul (bias excluded), plus 2 × 2 = 4 per output
 * value of BatchNorm and 2 × 1 = 2 per output value of average pooling (global or not); every other op
 * (ReLU, residual adds, max pooling, concatenation, reshapes) counts 0. With it the CIFAR ResNet-18 of the
 * original's profiles (100 classes) comes to its 1,113,396,224 FLOPs exactly.
 */
public final class Flops {

    private Flops() {
    }

    /** The FLOPs of one node of {@code g} at the graph's inferred shapes. */
    public static long of(Graph g, Node n) {
        int[] out = g.shape(n.output());
        return switch (n.op()) {
            case CONV -> {
                int[] w = g.shape(n.input(1));
                yield 2L * Shapes.size(out) * w[1] * w[2] * w[3];
            }
            case CONV_TRANSPOSE -> {
                // each input value meets every weight of its group: N·Cin·H·W·(Cout/groups)·kh·kw
                int[] x = g.shape(n.input(0));
                int[] w = g.shape(n.input(1));
                yield 2L * Shapes.size(x) * w[1] * w[2] * w[3];
            }
            case BATCH_NORM -> 4L * Shapes.size(out);
            case AVG_POOL, GLOBAL_AVG_POOL -> 2L * Shapes.size(out);
            case GEMM -> {
                int[] a = g.shape(n.input(0));
                int k = n.attrs(Attrs.Gemm.class).transA() ? a[0] : a[1];
                yield 2L * Shapes.size(out) * k;
            }
            case MATMUL -> {
                int[] a = g.shape(n.input(0));
                yield 2L * Shapes.size(out) * a[a.length - 1];
            }
            default -> 0L;
        };
    }
}
