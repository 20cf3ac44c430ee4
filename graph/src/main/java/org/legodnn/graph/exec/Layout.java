package org.legodnn.graph.exec;

import java.util.Arrays;
import java.util.List;
import org.legodnn.graph.Attrs;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * Ops that move values without arithmetic: concatenation along any axis, padding (constant, reflect,
 * edge; negative pads crop) and transposition. Plain index arithmetic over row-major arrays.
 */
final class Layout {

    private Layout() {
    }

    static Tensor concat(List<Tensor> xs, int axis) {
        int[] shape = xs.get(0).shape();
        int total = 0;
        for (Tensor t : xs) {
            total += t.dim(axis);
        }
        shape[axis] = total;
        long outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= shape[d];
        }
        long inner = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        float[] y = new float[Shapes.checkedSize("concat", shape)];
        int rowOut = (int) (total * inner);
        int offset = 0;
        for (Tensor t : xs) {
            int chunk = (int) (t.dim(axis) * inner);
            float[] src = t.data();
            for (int o = 0; o < outer; o++) {
                System.arraycopy(src, o * chunk, y, o * rowOut + offset, chunk);
            }
            offset += chunk;
        }
        return Tensor.of(y, shape);
    }

    /** Zero padding of the last two dimensions of {@code [N, C, H, W]}. */
    static Tensor zeroPad2d(Tensor x, int top, int left, int bottom, int right) {
        int[] pads = {0, 0, top, left, 0, 0, bottom, right};
        return pad(x, new Attrs.Pad(pads, Attrs.PadMode.CONSTANT, 0f));
    }

    static Tensor pad(Tensor x, Attrs.Pad a) {
        int[] in = x.shape();
        int rank = in.length;
        int[] pads = a.pads();
        int[] out = new int[rank];
        for (int d = 0; d < rank; d++) {
            out[d] = in[d] + pads[d] + pads[d + rank];
            if (a.mode() == Attrs.PadMode.REFLECT && (pads[d] >= in[d] || pads[d + rank] >= in[d])) {
                throw new IllegalArgumentException("pad: reflect padding " + pads[d] + "+" + pads[d + rank]
                        + " must be smaller than dimension " + d + " of " + Shapes.format(in));
            }
            if (a.mode() == Attrs.PadMode.EDGE && in[d] == 0 && out[d] > 0) {
                throw new IllegalArgumentException("pad: edge padding of an empty dimension " + d);
            }
        }
        float[] src = x.data();
        float[] y = new float[Shapes.checkedSize("pad", out)];
        int[] inStrides = rowMajorStrides(in);
        int[] idx = new int[rank];
        for (int i = 0; i < y.length; i++) {
            int off = 0;
            boolean inside = true;
            for (int d = 0; d < rank; d++) {
                int j = idx[d] - pads[d];
                if (j < 0 || j >= in[d]) {
                    switch (a.mode()) {
                        case CONSTANT -> inside = false;
                        case EDGE -> j = j < 0 ? 0 : in[d] - 1;
                        case REFLECT -> j = j < 0 ? -j : 2 * (in[d] - 1) - j;
                    }
                }
                off += j * inStrides[d];
            }
            y[i] = inside ? src[off] : a.value();
            for (int d = rank - 1; d >= 0; d--) {
                if (++idx[d] < out[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return Tensor.of(y, out);
    }

    /** ONNX Slice on one axis: a copy of every {@code step}-th row between the clamped bounds. */
    static Tensor slice(Tensor x, Attrs.Slice a) {
        int[] shape = x.shape();
        int[] out = shape.clone();
        out[a.axis()] = a.length(shape[a.axis()]);
        float[] y = new float[(int) Shapes.size(out)];
        slice(x.data(), shape, a, y);
        return Tensor.of(y, out);
    }

    /** {@link #slice(Tensor, Attrs.Slice)} on arrays: {@code x} of {@code shape} into {@code y}. */
    static void slice(float[] x, int[] shape, Attrs.Slice a, float[] y) {
        int axis = a.axis();
        int dim = shape[axis];
        int from = a.bounds(dim)[0];
        int len = a.length(dim);
        int step = a.step();
        int outer = (int) Shapes.size(Arrays.copyOfRange(shape, 0, axis));
        int inner = (int) Shapes.size(Arrays.copyOfRange(shape, axis + 1, shape.length));
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < len; k++) {
                System.arraycopy(x, (o * dim + from + k * step) * inner, y, (o * len + k) * inner, inner);
            }
        }
    }

    static Tensor transpose(Tensor x, int[] perm) {
        int[] in = x.shape();
        int rank = in.length;
        int[] out = new int[rank];
        int[] inStrides = rowMajorStrides(in);
        int[] step = new int[rank];
        for (int d = 0; d < rank; d++) {
            out[d] = in[perm[d]];
            step[d] = inStrides[perm[d]];
        }
        float[] src = x.data();
        float[] y = new float[src.length];
        int[] idx = new int[rank];
        int off = 0;
        for (int i = 0; i < y.length; i++) {
            y[i] = src[off];
            for (int d = rank - 1; d >= 0; d--) {
                off += step[d];
                if (++idx[d] < out[d]) {
                    break;
                }
                off -= step[d] * out[d];
                idx[d] = 0;
            }
        }
        return Tensor.of(y, out);
    }

    static int[] rowMajorStrides(int[] shape) {
        int[] s = new int[shape.length];
        int stride = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = stride;
            stride *= shape[d];
        }
        return s;
    }
}
