// Ops that move values for the OpenCL backend: one input's share of a concatenation, a strided slice along
// one axis, and resizing of the
// last two dimensions through per-axis lookup tables (source indices and weights, computed on the host
// exactly as the CPU path computes them, so every ONNX coordinate mode comes out the same).

// dst[o * dstRow + dstOff + i] = src[o * chunk + i] for o < outer, i < chunk.
__kernel void concat_part(__global const float* src, __global float* dst, const int total, const int chunk,
                          const int dstRow, const int dstOff) {
    const int idx = get_global_id(0);
    if (idx < total) {
        const int o = idx / chunk;
        const int i = idx % chunk;
        dst[(size_t) o * dstRow + dstOff + i] = src[idx];
    }
}

// y[(o * len + k) * inner + i] = x[(o * dim + from + k * step) * inner + i] for o < outer, k < len, i < inner.
__kernel void slice_axis(__global const float* x, __global float* y, const int total, const int len,
                         const int inner, const int dim, const int from, const int step) {
    const int idx = get_global_id(0);
    if (idx < total) {
        const int i = idx % inner;
        const int k = (idx / inner) % len;
        const int o = idx / (inner * len);
        y[idx] = x[((size_t) o * dim + from + (size_t) k * step) * inner + i];
    }
}

// index = [row lo (oh), row hi (oh), col lo (ow), col hi (ow)], frac = [row weight (oh), col weight (ow)]:
// each output is the bilinear blend of its four sources (nearest: lo == hi and weight 0).
__kernel void resize2d(__global const float* x, __global float* y, const int total, const int h, const int w,
                       const int oh, const int ow, __global const int* index, __global const float* frac) {
    const int idx = get_global_id(0);
    if (idx >= total) {
        return;
    }
    const int j = idx % ow;
    const int i = (idx / ow) % oh;
    const int p = idx / (ow * oh);
    __global const float* xp = x + (size_t) p * h * w;
    const int r0 = index[i] * w;
    const int r1 = index[oh + i] * w;
    const int c0 = index[2 * oh + j];
    const int c1 = index[2 * oh + ow + j];
    const float wr = frac[i];
    const float wc = frac[oh + j];
    const float top = xp[r0 + c0] * (1.0f - wc) + xp[r0 + c1] * wc;
    const float bottom = xp[r1 + c0] * (1.0f - wc) + xp[r1 + c1] * wc;
    y[idx] = wr == 0.0f ? top : top * (1.0f - wr) + bottom * wr;
}
