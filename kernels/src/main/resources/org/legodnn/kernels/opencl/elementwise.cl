// Value-by-value ops for the OpenCL backend: clamps (ReLU, ReLU6, Clip), the other activations, residual
// add, binary ops with numpy broadcasting, and the per-channel affine map of an inference BatchNorm that
// could not be folded into a convolution. One work-item per output value.

inline float clamp_nan(float v, float lo, float hi) {
    v = v < lo ? lo : v;
    return v > hi ? hi : v;
}

__kernel void clamp_values(__global const float* x, __global float* y, const int n, const float lo, const float hi) {
    const int i = get_global_id(0);
    if (i < n) {
        y[i] = clamp_nan(x[i], lo, hi);
    }
}

// op: 0 leaky ReLU (p0 = slope), 1 sigmoid, 2 hard sigmoid (p0 = alpha, p1 = beta), 3 hard swish, 4 tanh, 5 exp.
__kernel void unary(__global const float* x, __global float* y, const int n, const int op, const float p0,
                    const float p1) {
    const int i = get_global_id(0);
    if (i >= n) {
        return;
    }
    const float v = x[i];
    float r;
    switch (op) {
        case 0: r = v >= 0.0f ? v : p0 * v; break;
        case 1: r = 1.0f / (1.0f + exp(-v)); break;
        case 2: r = clamp_nan(p0 * v + p1, 0.0f, 1.0f); break;
        case 3: r = v * clamp_nan(v + 3.0f, 0.0f, 6.0f) / 6.0f; break;
        case 4: r = tanh(v); break;
        default: r = exp(v); break;
    }
    y[i] = r;
}

// ONNX QuantizeLinear then DequantizeLinear, one scale: lo and hi are the levels less the zero point.
__kernel void fake_quantize(__global const float* x, __global float* y, const int n, const float scale,
                            const float lo, const float hi) {
    const int i = get_global_id(0);
    if (i < n) {
        y[i] = fmin(fmax(rint(x[i] / scale), lo), hi) * scale;
    }
}

__kernel void add_clamp(__global const float* a, __global const float* b, __global float* y, const int n,
                        const float lo, const float hi) {
    const int i = get_global_id(0);
    if (i < n) {
        y[i] = clamp_nan(a[i] + b[i], lo, hi);
    }
}

// table = [out shape (rank), a strides (rank), b strides (rank)], a stride 0 where that operand repeats.
// op: 0 add, 1 sub, 2 mul, 3 div.
__kernel void binary_broadcast(__global const float* a, __global const float* b, __global float* y, const int n,
                               const int op, const int rank, __global const int* table) {
    const int i = get_global_id(0);
    if (i >= n) {
        return;
    }
    int rest = i;
    size_t ao = 0;
    size_t bo = 0;
    for (int d = rank - 1; d >= 0; d--) {
        const int size = table[d];
        const int k = rest % size;
        rest /= size;
        ao += (size_t) k * table[rank + d];
        bo += (size_t) k * table[2 * rank + d];
    }
    const float u = a[ao];
    const float v = b[bo];
    float r;
    switch (op) {
        case 0: r = u + v; break;
        case 1: r = u - v; break;
        case 2: r = u * v; break;
        default: r = u / v; break;
    }
    y[i] = r;
}

// y = clamp(x * scale[channel] + shift[channel]) over [N, C, hw].
__kernel void channel_affine(__global const float* x, __global const float* scale, __global const float* shift,
                             __global float* y, const int n, const int c, const int hw, const float lo,
                             const float hi) {
    const int i = get_global_id(0);
    if (i < n) {
        const int ch = (i / hw) % c;
        y[i] = clamp_nan(fma(x[i], scale[ch], shift[ch]), lo, hi);
    }
}
