package org.legodnn.graph;

/**
 * The vocabulary of the graph: every kind of node the engine can trace, import, run, analyse and export. The
 * ops follow PyTorch's semantics (NCHW, weights in PyTorch layout); ONNX ops that are only a different
 * spelling of one of these (Dropout in inference, Upsample, Clip as ReLU6) are mapped onto them at import.
 */
public enum Op {
    /** 2-D convolution: inputs x, weight {@code [Cout, Cin/groups, kh, kw]}, optional bias. */
    CONV("conv"),
    /** 2-D transposed convolution: inputs x, weight {@code [Cin, Cout/groups, kh, kw]}, optional bias. */
    CONV_TRANSPOSE("conv_transpose"),
    /** Inference BatchNorm: inputs x, gamma, beta, running mean, running variance. */
    BATCH_NORM("batch_norm"),
    RELU("relu"),
    /** Clamp to [min, max]; ReLU6 is clip(0, 6). */
    CLIP("clip"),
    LEAKY_RELU("leaky_relu"),
    SIGMOID("sigmoid"),
    TANH("tanh"),
    EXP("exp"),
    /** {@code max(0, min(1, alpha·x + beta))}. */
    HARD_SIGMOID("hard_sigmoid"),
    /** {@code x · hard_sigmoid(x)} with alpha 1/6, beta 1/2. */
    HARD_SWISH("hard_swish"),
    /** Elementwise with numpy broadcasting. */
    ADD("add"),
    SUB("sub"),
    MUL("mul"),
    DIV("div"),
    CONCAT("concat"),
    MAX_POOL("max_pool"),
    AVG_POOL("avg_pool"),
    /** {@code [N, C, H, W]} to {@code [N, C, 1, 1]}. */
    GLOBAL_AVG_POOL("global_avg_pool"),
    REDUCE_MEAN("reduce_mean"),
    PAD("pad"),
    FLATTEN("flatten"),
    RESHAPE("reshape"),
    TRANSPOSE("transpose"),
    /** {@code alpha·op(A)·op(B) + beta·C}; with transB and unit scales it is PyTorch's Linear. */
    GEMM("gemm"),
    MATMUL("matmul"),
    SOFTMAX("softmax"),
    /** {@code x[..., start:end:step, ...]} along one axis; ONNX Slice and Split are lowered onto it. */
    SLICE("slice"),
    IDENTITY("identity"),
    /** Nearest or linear resize by scales or to sizes. */
    RESIZE("resize"),
    /**
     * Rounds every value to the nearest of the levels of an 8- or 32-bit integer grid and maps it back to
     * float: ONNX's QuantizeLinear followed by DequantizeLinear, which is how a QDQ model marks the tensors that
     * run in int8. Per tensor or per channel ({@link Attrs.Quantize}).
     */
    QUANTIZE_DEQUANTIZE("quantize_dequantize");

    private final String label;

    Op(String label) {
        this.label = label;
    }

    /** A short lower-case name for tables and messages, e.g. {@code "conv"}. */
    public String label() {
        return label;
    }

    /** Whether the op applies one function to every value independently (shapes and channels pass through). */
    public boolean isElementwiseUnary() {
        return switch (this) {
            case RELU, CLIP, LEAKY_RELU, SIGMOID, TANH, EXP, HARD_SIGMOID, HARD_SWISH, IDENTITY,
                 QUANTIZE_DEQUANTIZE -> true;
            default -> false;
        };
    }

    /** Whether the op combines two inputs value by value (with broadcasting). */
    public boolean isElementwiseBinary() {
        return this == ADD || this == SUB || this == MUL || this == DIV;
    }
}
