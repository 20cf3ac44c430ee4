// Convolutions for the OpenCL backend, NCHW activations and [cout, cin/groups, kh, kw] weights as PyTorch.
// Three kernels: im2col (which turns a convolution into the batched product of gemm.cl), a direct kernel for
// any geometry (groups, strides, dilation) and a depthwise kernel (one input channel per group). Each output
// takes the same epilogue: + bias[channel], + residual (a tensor of the output's shape), then a clamp
// (ReLU is [0, inf), ReLU6 is [0, 6]).

inline float clamp_nan(float v, float lo, float hi) {
    v = v < lo ? lo : v;
    return v > hi ? hi : v;
}

inline float epilogue(float v, __global const float* bias, int hasBias, int oc, __global const float* res,
                      int hasRes, size_t o, float lo, float hi) {
    if (hasBias) {
        v += bias[oc];
    }
    if (hasRes) {
        v += res[o];
    }
    return clamp_nan(v, lo, hi);
}

// col[z][k][p], z = image * groups + group, k = (c * kh + i) * kw + j for c < cin/groups, p = oy * ow + ox:
// the matrix whose product with the group's weights [cout/groups, k] is the group's output [cout/groups, p].
__kernel void im2col(__global const float* x, __global float* col, const int total,
                     const int cin, const int h, const int w, const int groups, const int cing,
                     const int kh, const int kw, const int sh, const int sw, const int ph, const int pw,
                     const int dh, const int dw, const int oh, const int ow) {
    const int idx = get_global_id(0);
    if (idx >= total) {
        return;
    }
    const int ohw = oh * ow;
    const int kk = cing * kh * kw;
    const int p = idx % ohw;
    const int t = idx / ohw;
    const int k = t % kk;
    const int z = t / kk;
    const int j = k % kw;
    const int i = (k / kw) % kh;
    const int c = k / (kw * kh);
    const int n = z / groups;
    const int g = z % groups;
    const int iy = (p / ow) * sh - ph + i * dh;
    const int ix = (p % ow) * sw - pw + j * dw;
    float v = 0.0f;
    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
        v = x[((size_t) (n * cin + g * cing + c) * h + iy) * w + ix];
    }
    col[idx] = v;
}

// One work-item per output value; any groups, stride, padding and dilation.
__kernel void conv2d_direct(__global const float* x, __global const float* wt, __global float* y,
                            __global const float* bias, const int hasBias, __global const float* res, const int hasRes,
                            const float lo, const float hi, const int total,
                            const int cin, const int h, const int w, const int cout, const int kh, const int kw,
                            const int sh, const int sw, const int ph, const int pw, const int dh, const int dw,
                            const int groups, const int oh, const int ow) {
    const int idx = get_global_id(0);
    if (idx >= total) {
        return;
    }
    const int ox = idx % ow;
    const int oy = (idx / ow) % oh;
    const int oc = (idx / (ow * oh)) % cout;
    const int n = idx / (ow * oh * cout);
    const int cing = cin / groups;
    const int g = oc / (cout / groups);
    const int iy0 = oy * sh - ph;
    const int ix0 = ox * sw - pw;
    float acc = 0.0f;
    for (int c = 0; c < cing; c++) {
        __global const float* xp = x + (size_t) (n * cin + g * cing + c) * h * w;
        __global const float* wp = wt + (size_t) (oc * cing + c) * kh * kw;
        for (int i = 0; i < kh; i++) {
            const int iy = iy0 + i * dh;
            if (iy < 0 || iy >= h) {
                continue;
            }
            for (int j = 0; j < kw; j++) {
                const int ix = ix0 + j * dw;
                if (ix >= 0 && ix < w) {
                    acc = fma(wp[i * kw + j], xp[iy * w + ix], acc);
                }
            }
        }
    }
    y[idx] = epilogue(acc, bias, hasBias, oc, res, hasRes, idx, lo, hi);
}

// Depthwise: groups == cin, so every output channel reads exactly one input channel (oc / multiplier).
__kernel void conv2d_depthwise(__global const float* x, __global const float* wt, __global float* y,
                               __global const float* bias, const int hasBias, __global const float* res, const int hasRes,
                               const float lo, const float hi, const int total,
                               const int cin, const int h, const int w, const int cout, const int kh, const int kw,
                               const int sh, const int sw, const int ph, const int pw, const int dh, const int dw,
                               const int oh, const int ow) {
    const int idx = get_global_id(0);
    if (idx >= total) {
        return;
    }
    const int ox = idx % ow;
    const int oy = (idx / ow) % oh;
    const int oc = (idx / (ow * oh)) % cout;
    const int n = idx / (ow * oh * cout);
    const int ic = oc / (cout / cin);
    const int iy0 = oy * sh - ph;
    const int ix0 = ox * sw - pw;
    __global const float* xp = x + (size_t) (n * cin + ic) * h * w;
    __global const float* wp = wt + (size_t) oc * kh * kw;
    float acc = 0.0f;
    for (int i = 0; i < kh; i++) {
        const int iy = iy0 + i * dh;
        if (iy < 0 || iy >= h) {
            continue;
        }
        for (int j = 0; j < kw; j++) {
            const int ix = ix0 + j * dw;
            if (ix >= 0 && ix < w) {
                acc = fma(wp[i * kw + j], xp[iy * w + ix], acc);
            }
        }
    }
    y[idx] = epilogue(acc, bias, hasBias, oc, res, hasRes, idx, lo, hi);
}

// Transposed convolution, [cin, cout/groups, kh, kw] weights as PyTorch: one work-item per output value gathers
// the inputs that the scattering definition would send to it (full-output row oy + pt = iy * sh + i * dh), so no
// two work-items write the same value. Rows and columns past the full extent (output padding) get the bias only.
__kernel void conv_transpose2d_direct(__global const float* x, __global const float* wt, __global float* y,
                                      __global const float* bias, const int hasBias, const int total,
                                      const int cin, const int h, const int w, const int cout, const int kh,
                                      const int kw, const int sh, const int sw, const int pt, const int pl,
                                      const int dh, const int dw, const int groups, const int oh, const int ow) {
    const int idx = get_global_id(0);
    if (idx >= total) {
        return;
    }
    const int ox = idx % ow;
    const int oy = (idx / ow) % oh;
    const int oc = (idx / (ow * oh)) % cout;
    const int n = idx / (ow * oh * cout);
    const int coutg = cout / groups;
    const int cing = cin / groups;
    const int g = oc / coutg;
    const int ocg = oc % coutg;
    float acc = 0.0f;
    for (int c = 0; c < cing; c++) {
        const int ic = g * cing + c;
        __global const float* xp = x + (size_t) (n * cin + ic) * h * w;
        __global const float* wp = wt + (size_t) (ic * coutg + ocg) * kh * kw;
        for (int i = 0; i < kh; i++) {
            const int ty = oy + pt - i * dh;
            if (ty < 0 || ty % sh != 0 || ty / sh >= h) {
                continue;
            }
            const int iy = ty / sh;
            for (int j = 0; j < kw; j++) {
                const int tx = ox + pl - j * dw;
                if (tx >= 0 && tx % sw == 0 && tx / sw < w) {
                    acc = fma(wp[i * kw + j], xp[iy * w + tx / sw], acc);
                }
            }
        }
    }
    y[idx] = hasBias ? acc + bias[oc] : acc;
}
