// Pooling for the OpenCL backend, one work-item per output value, written from PyTorch's (and ONNX's)
// definitions: windows may be dilated and padded differently on each side; max ignores padding and lets
// NaN through; average divides by the window's extent inside the padded input (count_include_pad) or by
// the number of real input values in it.

__kernel void max_pool2d(__global const float* x, __global float* y, const int total,
                         const int h, const int w, const int oh, const int ow, const int kh, const int kw,
                         const int sh, const int sw, const int pt, const int pl, const int dh, const int dw) {
    const int idx = get_global_id(0);
    if (idx >= total) {
        return;
    }
    const int ox = idx % ow;
    const int oy = (idx / ow) % oh;
    const int plane = idx / (ow * oh);
    __global const float* xp = x + (size_t) plane * h * w;
    float best = -INFINITY;
    for (int i = 0; i < kh; i++) {
        const int iy = oy * sh - pt + i * dh;
        if (iy < 0 || iy >= h) {
            continue;
        }
        for (int j = 0; j < kw; j++) {
            const int ix = ox * sw - pl + j * dw;
            if (ix < 0 || ix >= w) {
                continue;
            }
            const float v = xp[iy * w + ix];
            if (v > best || isnan(v)) {
                best = v;
            }
        }
    }
    y[idx] = best;
}

__kernel void avg_pool2d(__global const float* x, __global float* y, const int total,
                         const int h, const int w, const int oh, const int ow, const int kh, const int kw,
                         const int sh, const int sw, const int pt, const int pl, const int pb, const int pr,
                         const int dh, const int dw, const int countIncludePad) {
    const int idx = get_global_id(0);
    if (idx >= total) {
        return;
    }
    const int ox = idx % ow;
    const int oy = (idx / ow) % oh;
    const int plane = idx / (ow * oh);
    __global const float* xp = x + (size_t) plane * h * w;
    float sum = 0.0f;
    int real = 0;
    int rows = 0;
    int cols = 0;
    for (int i = 0; i < kh; i++) {
        if (oy * sh - pt + i * dh < h + pb) {
            rows++;
        }
    }
    for (int j = 0; j < kw; j++) {
        if (ox * sw - pl + j * dw < w + pr) {
            cols++;
        }
    }
    for (int i = 0; i < kh; i++) {
        const int iy = oy * sh - pt + i * dh;
        if (iy < 0 || iy >= h) {
            continue;
        }
        for (int j = 0; j < kw; j++) {
            const int ix = ox * sw - pl + j * dw;
            if (ix >= 0 && ix < w) {
                sum += xp[iy * w + ix];
                real++;
            }
        }
    }
    const int divisor = countIncludePad ? rows * cols : real;
    y[idx] = sum / (float) max(1, divisor);
}

// [planes, hw] -> [planes]: the mean of each plane.
__kernel void global_avg_pool(__global const float* x, __global float* y, const int planes, const int hw) {
    const int p = get_global_id(0);
    if (p >= planes) {
        return;
    }
    __global const float* xp = x + (size_t) p * hw;
    float sum = 0.0f;
    for (int i = 0; i < hw; i++) {
        sum += xp[i];
    }
    y[p] = sum / (float) hw;
}
