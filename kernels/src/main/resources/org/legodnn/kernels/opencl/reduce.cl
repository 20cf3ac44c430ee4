// Reductions for the OpenCL backend: softmax along any axis. One work-item per row: the len values at
// base, base + inner, ... of row (o, i), where base = o * len * inner + i; stable by subtracting the max.

__kernel void softmax_axis(__global const float* x, __global float* y, const int rows, const int len,
                           const int inner) {
    const int r = get_global_id(0);
    if (r >= rows) {
        return;
    }
    const size_t base = (size_t) (r / inner) * len * inner + r % inner;
    float m = -INFINITY;
    for (int k = 0; k < len; k++) {
        m = fmax(m, x[base + (size_t) k * inner]);
    }
    float sum = 0.0f;
    for (int k = 0; k < len; k++) {
        const float e = exp(x[base + (size_t) k * inner] - m);
        y[base + (size_t) k * inner] = e;
        sum += e;
    }
    const float inv = 1.0f / sum;
    for (int k = 0; k < len; k++) {
        y[base + (size_t) k * inner] *= inv;
    }
}
