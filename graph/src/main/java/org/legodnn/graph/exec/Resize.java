package org.legodnn.graph.exec;

import org.legodnn.graph.Attrs;
import org.legodnn.tensor.Tensor;

/**
 * ONNX Resize (and the older Upsample) of the last two dimensions, nearest or (bi)linear, with ONNX's
 * coordinate transformation and rounding modes, so that PyTorch's {@code F.interpolate} in any of its
 * settings comes out the same. Every leading dimension must keep its size. Separable: each output row and
 * column looks up its source positions once.
 */
final class Resize {

    private Resize() {
    }

    static Tensor apply(Tensor x, Attrs.Resize a) {
        int[] in = x.shape();
        int rank = in.length;
        if (rank < 2) {
            throw new IllegalArgumentException("resize: needs at least 2 dimensions, got rank " + rank);
        }
        int[] out;
        if (a.sizes() != null) {
            out = a.sizes().clone();
        } else {
            out = new int[rank];
            for (int d = 0; d < rank; d++) {
                out[d] = (int) Math.floor(in[d] * (double) a.scales()[d]);
            }
        }
        for (int d = 0; d < rank - 2; d++) {
            if (out[d] != in[d]) {
                throw new IllegalArgumentException("resize: only the last two dimensions may change size, input "
                        + java.util.Arrays.toString(in) + " output " + java.util.Arrays.toString(out));
            }
        }
        int h = in[rank - 2];
        int w = in[rank - 1];
        int oh = out[rank - 2];
        int ow = out[rank - 1];
        ResizeAxis rows = ResizeAxis.of(a, h, oh, a.scales() == null ? (double) oh / h : a.scales()[rank - 2]);
        ResizeAxis cols = ResizeAxis.of(a, w, ow, a.scales() == null ? (double) ow / w : a.scales()[rank - 1]);
        int planes = h * w == 0 ? 0 : x.size() / (h * w);
        float[] src = x.data();
        float[] y = new float[planes * oh * ow];
        for (int p = 0; p < planes; p++) {
            int inBase = p * h * w;
            int outBase = p * oh * ow;
            for (int i = 0; i < oh; i++) {
                int r0 = inBase + rows.lo()[i] * w;
                int r1 = inBase + rows.hi()[i] * w;
                float wr = rows.frac()[i];
                for (int j = 0; j < ow; j++) {
                    float wc = cols.frac()[j];
                    float top = src[r0 + cols.lo()[j]] * (1 - wc) + src[r0 + cols.hi()[j]] * wc;
                    float bottom = src[r1 + cols.lo()[j]] * (1 - wc) + src[r1 + cols.hi()[j]] * wc;
                    y[outBase + i * ow + j] = wr == 0f ? top : top * (1 - wr) + bottom * wr;
                }
            }
        }
        return Tensor.of(y, out);
    }
}
