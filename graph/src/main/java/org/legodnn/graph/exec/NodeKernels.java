package org.legodnn.graph.exec;

import java.util.List;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Node;
import org.legodnn.graph.ShapeInference;
import org.legodnn.graph.quant.QuantizeDequantize;
import org.legodnn.tensor.Tensor;

/**
 * Computes one node from its input tensors: the dispatch from {@link org.legodnn.graph.Op} to the code that
 * does the work. The heavy ops (convolution, BatchNorm, pooling, GEMM) reach the engine's SIMD kernels; the
 * rest are plain loops over float arrays in this package.
 */
final class NodeKernels {

    private NodeKernels() {
    }

    static Tensor run(Node n, List<Tensor> in) {
        Tensor x = in.get(0);
        return switch (n.op()) {
            case CONV -> ConvKernels.conv(x, in.get(1), arg(in, 2), n.attrs(Attrs.Conv.class));
            case CONV_TRANSPOSE -> ConvKernels.convTranspose(x, in.get(1), arg(in, 2), n.attrs(Attrs.ConvTranspose.class));
            case BATCH_NORM -> ConvKernels.batchNorm(x, in.get(1), in.get(2), in.get(3), in.get(4),
                    n.attrs(Attrs.BatchNorm.class).eps());
            case RELU, CLIP, LEAKY_RELU, SIGMOID, TANH, EXP, HARD_SIGMOID, HARD_SWISH ->
                    Activations.apply(n.op(), n.attrs(), x);
            case SLICE -> Layout.slice(x, n.attrs(Attrs.Slice.class));
            case IDENTITY -> x;
            case ADD, SUB, MUL, DIV -> Broadcast.apply(n.op(), x, in.get(1));
            case CONCAT -> Layout.concat(in, n.attrs(Attrs.Concat.class).axis());
            case MAX_POOL -> Pooling.maxPool(x, n.attrs(Attrs.Pool.class));
            case AVG_POOL -> Pooling.avgPool(x, n.attrs(Attrs.Pool.class));
            case GLOBAL_AVG_POOL -> Reductions.globalAvgPool(x);
            case REDUCE_MEAN -> Reductions.reduceMean(x, n.attrs(Attrs.ReduceMean.class));
            case SOFTMAX -> Reductions.softmax(x, n.attrs(Attrs.Softmax.class));
            case PAD -> Layout.pad(x, n.attrs(Attrs.Pad.class));
            case FLATTEN, RESHAPE -> Tensor.of(x.data(), ShapeInference.outputShape(n, List.of(x.shape())));
            case TRANSPOSE -> Layout.transpose(x, n.attrs(Attrs.Transpose.class).perm());
            case GEMM -> Matrices.gemm(x, in.get(1), arg(in, 2), n.attrs(Attrs.Gemm.class));
            case MATMUL -> Matrices.matmul(x, in.get(1));
            case RESIZE -> Resize.apply(x, n.attrs(Attrs.Resize.class));
            case QUANTIZE_DEQUANTIZE -> QuantizeDequantize.apply(x, n.attrs(Attrs.Quantize.class));
        };
    }

    private static Tensor arg(List<Tensor> in, int i) {
        return i < in.size() ? in.get(i) : null;
    }
}
