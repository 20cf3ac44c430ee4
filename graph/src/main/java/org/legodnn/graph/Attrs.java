package org.legodnn.graph;

import java.util.Arrays;

/**
 * The settings of a node, one record per kind of op, so that the interpreter, the analyses and the exporter
 * read named, typed fields instead of looking strings up in a map. Pads are always explicit and may be
 * asymmetric ({@code top, left, bottom, right}); ONNX's {@code auto_pad} is resolved into them at import.
 */
public sealed interface Attrs {

    /** For ops without settings (ReLU, Add, GlobalAveragePool, ...). */
    record None() implements Attrs {
        public static final None INSTANCE = new None();
    }

    /** A 2-D convolution's geometry; the kernel size is the weight's. */
    record Conv(int strideH, int strideW, int padTop, int padLeft, int padBottom, int padRight,
                int dilationH, int dilationW, int groups) implements Attrs {
        /** Square stride, symmetric padding and dilation, as PyTorch's {@code nn.Conv2d} has. */
        public static Conv of(int stride, int padding, int dilation, int groups) {
            return new Conv(stride, stride, padding, padding, padding, padding, dilation, dilation, groups);
        }

        public boolean symmetricPads() {
            return padTop == padBottom && padLeft == padRight;
        }
    }

    /** A 2-D transposed convolution's geometry; {@code outPad*} is PyTorch's {@code output_padding}. */
    record ConvTranspose(int strideH, int strideW, int padTop, int padLeft, int padBottom, int padRight,
                         int dilationH, int dilationW, int groups, int outPadH, int outPadW) implements Attrs {
    }

    /** BatchNorm's epsilon and PyTorch's momentum (ONNX stores 1 − momentum). */
    record BatchNorm(float eps, float momentum) implements Attrs {
    }

    /** Clamp bounds; an absent bound is an infinity. */
    record Clip(float min, float max) implements Attrs {
        public boolean isRelu6() {
            return min == 0f && max == 6f;
        }
    }

    record LeakyRelu(float alpha) implements Attrs {
    }

    record HardSigmoid(float alpha, float beta) implements Attrs {
    }

    /** Concatenation axis, non-negative. */
    record Concat(int axis) implements Attrs {
    }

    /** Max or average pooling over a 2-D window. */
    record Pool(int kernelH, int kernelW, int strideH, int strideW, int padTop, int padLeft, int padBottom,
                int padRight, int dilationH, int dilationW, boolean ceilMode, boolean countIncludePad)
            implements Attrs {
        public boolean symmetricPads() {
            return padTop == padBottom && padLeft == padRight;
        }
    }

    /** Mean over {@code axes} (non-negative, sorted). */
    record ReduceMean(int[] axes, boolean keepDims) implements Attrs {
        @Override
        public boolean equals(Object o) {
            return o instanceof ReduceMean r && Arrays.equals(axes, r.axes) && keepDims == r.keepDims;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(axes) * 31 + Boolean.hashCode(keepDims);
        }

        @Override
        public String toString() {
            return "ReduceMean[axes=" + Arrays.toString(axes) + ", keepDims=" + keepDims + "]";
        }
    }

    /** Padding modes of {@link Op#PAD}. */
    enum PadMode { CONSTANT, REFLECT, EDGE }

    /** ONNX layout: {@code pads = [x1_begin, x2_begin, ..., x1_end, x2_end, ...]} over all dimensions. */
    record Pad(int[] pads, PadMode mode, float value) implements Attrs {
        @Override
        public boolean equals(Object o) {
            return o instanceof Pad p && Arrays.equals(pads, p.pads) && mode == p.mode
                    && Float.compare(value, p.value) == 0;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(pads) * 31 + mode.hashCode();
        }

        @Override
        public String toString() {
            return "Pad[pads=" + Arrays.toString(pads) + ", mode=" + mode + ", value=" + value + "]";
        }
    }

    /** Keeps dimensions before {@code axis} and multiplies the rest into one (ONNX: always 2-D). */
    record Flatten(int axis) implements Attrs {
    }

    /** ONNX Reshape: 0 copies the input's dimension (unless {@code allowZero}), -1 is inferred. */
    record Reshape(long[] shape, boolean allowZero) implements Attrs {
        @Override
        public boolean equals(Object o) {
            return o instanceof Reshape r && Arrays.equals(shape, r.shape) && allowZero == r.allowZero;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(shape);
        }

        @Override
        public String toString() {
            return "Reshape[shape=" + Arrays.toString(shape) + ", allowZero=" + allowZero + "]";
        }
    }

    record Transpose(int[] perm) implements Attrs {
        @Override
        public boolean equals(Object o) {
            return o instanceof Transpose t && Arrays.equals(perm, t.perm);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(perm);
        }

        @Override
        public String toString() {
            return "Transpose[perm=" + Arrays.toString(perm) + "]";
        }
    }

    record Gemm(float alpha, float beta, boolean transA, boolean transB) implements Attrs {
        /** PyTorch's Linear: {@code x·wᵀ + b}. */
        public static final Gemm LINEAR = new Gemm(1f, 1f, false, true);
    }

    /**
     * Softmax along {@code axis}; {@code flattenTail} is the opset-11 meaning (the input is seen as 2-D,
     * everything from {@code axis} on is one row).
     */
    record Softmax(int axis, boolean flattenTail) implements Attrs {
    }

    /**
     * {@code x[..., start:end:step, ...]} along {@code axis} (non-negative), {@code step ≥ 1}. {@code start} and
     * {@code end} are Python's: negative counts from the end, and both are clamped to the axis when the input's
     * size is known ({@link #bounds}), so one node serves every batch size.
     */
    record Slice(int axis, int start, int end, int step) implements Attrs {
        public Slice {
            if (axis < 0 || step < 1) {
                throw new IllegalArgumentException("slice: needs a non-negative axis and a step of at least 1, got axis "
                        + axis + ", step " + step);
            }
        }

        /** {@code [from, to)} on an axis of size {@code dim}, clamped, with {@code to ≥ from}. */
        public int[] bounds(int dim) {
            int from = clamp(start, dim);
            return new int[] {from, Math.max(from, clamp(end, dim))};
        }

        /** How many values the slice keeps from an axis of size {@code dim}. */
        public int length(int dim) {
            int[] b = bounds(dim);
            return (b[1] - b[0] + step - 1) / step;
        }

        private static int clamp(int index, int dim) {
            long i = index < 0 ? (long) index + dim : index;
            return (int) Math.max(0, Math.min(dim, i));
        }
    }

    /** Resize modes. */
    enum ResizeMode { NEAREST, LINEAR }

    /** How an output coordinate maps back to the input (ONNX's {@code coordinate_transformation_mode}). */
    enum CoordinateMode { HALF_PIXEL, PYTORCH_HALF_PIXEL, ALIGN_CORNERS, ASYMMETRIC }

    /** How nearest mode rounds (ONNX's {@code nearest_mode}). */
    enum NearestMode { ROUND_PREFER_FLOOR, ROUND_PREFER_CEIL, FLOOR, CEIL }

    /**
     * Resize of the spatial dimensions. Exactly one of {@code scales} (per dimension, all of them) and
     * {@code sizes} (per dimension) is non-null.
     */
    record Resize(ResizeMode mode, float[] scales, int[] sizes, CoordinateMode coordinates, NearestMode nearest)
            implements Attrs {
        @Override
        public boolean equals(Object o) {
            return o instanceof Resize r && mode == r.mode && Arrays.equals(scales, r.scales)
                    && Arrays.equals(sizes, r.sizes) && coordinates == r.coordinates && nearest == r.nearest;
        }

        @Override
        public int hashCode() {
            return mode.hashCode() * 31 + Arrays.hashCode(scales) + Arrays.hashCode(sizes);
        }

        @Override
        public String toString() {
            return "Resize[mode=" + mode + ", scales=" + Arrays.toString(scales) + ", sizes=" + Arrays.toString(sizes)
                    + ", coordinates=" + coordinates + ", nearest=" + nearest + "]";
        }
    }

    /** The integer types of a quantized tensor, with the range that ONNX's QuantizeLinear saturates to. */
    enum QuantType {
        UINT8(0, 255), INT8(-128, 127), INT32(Integer.MIN_VALUE, Integer.MAX_VALUE);

        private final int min;
        private final int max;

        QuantType(int min, int max) {
            this.min = min;
            this.max = max;
        }

        public int min() {
            return min;
        }

        public int max() {
            return max;
        }
    }

    /**
     * {@code y = (clamp(round(x / scale) + zeroPoint, type) − zeroPoint) · scale}, rounding half to even (ONNX's
     * QuantizeLinear then DequantizeLinear). One scale and zero point for the whole tensor, or one per index of
     * {@code axis} (non-negative) when the arrays are longer than one.
     */
    record Quantize(float[] scales, int[] zeroPoints, int axis, QuantType type) implements Attrs {
        public Quantize {
            if (scales.length == 0 || scales.length != zeroPoints.length || axis < 0) {
                throw new IllegalArgumentException("quantize: needs as many zero points as scales (at least one) and a "
                        + "non-negative axis, got " + scales.length + " scales, " + zeroPoints.length
                        + " zero points, axis " + axis);
            }
            for (int i = 0; i < scales.length; i++) {
                if (!(scales[i] > 0f) || Float.isInfinite(scales[i])) {
                    throw new IllegalArgumentException("quantize: scale " + i + " is " + scales[i]
                            + ", expected a positive finite number");
                }
                if (zeroPoints[i] < type.min() || zeroPoints[i] > type.max()) {
                    throw new IllegalArgumentException("quantize: zero point " + zeroPoints[i] + " is outside "
                            + type + " [" + type.min() + ", " + type.max() + "]");
                }
            }
        }

        /** One scale and zero point for the whole tensor. */
        public static Quantize perTensor(float scale, int zeroPoint, QuantType type) {
            return new Quantize(new float[] {scale}, new int[] {zeroPoint}, 0, type);
        }

        public boolean perChannel() {
            return scales.length > 1;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Quantize q && Arrays.equals(scales, q.scales) && Arrays.equals(zeroPoints, q.zeroPoints)
                    && axis == q.axis && type == q.type;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(scales) * 31 + Arrays.hashCode(zeroPoints) + type.hashCode();
        }

        @Override
        public String toString() {
            return "Quantize[" + type + (perChannel() ? ", axis " + axis + ", " + scales.length + " channels"
                    : ", scale " + scales[0] + ", zero point " + zeroPoints[0]) + "]";
        }
    }
}
