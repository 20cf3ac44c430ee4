// Matrix multiply for the OpenCL backend: C = clamp(alpha·op(A)·op(B) + beta·bias + residual, lo, hi),
// batched over the third grid dimension. Every operand is addressed through (row, column) strides, so one
// kernel serves plain, transposed, batched and grouped products (a grouped 1x1 convolution is a batch of
// products that cycles through the weight groups).
//
// Tiling: a work-group of LX x LY = 16 x 16 work-items computes a TM x TN = 64 x 64 tile of C. Each step
// stages a TM x TK slice of A and a TK x TN slice of B in local memory; each work-item then keeps a
// RM x RN = 4 x 4 block of C in registers (rows ty, ty+16, ...; columns tx, tx+16, ... so that neighbours
// in a work-group touch neighbouring addresses). Edges are handled by staging zeros outside the matrices.

#define TM 64
#define TN 64
#define TK 16
#define LX 16
#define LY 16
#define RM (TM / LY)
#define RN (TN / LX)

// clamp() that lets NaN through (fmin/fmax would turn it into a bound).
inline float clamp_nan(float v, float lo, float hi) {
    v = v < lo ? lo : v;
    return v > hi ? hi : v;
}

__kernel __attribute__((reqd_work_group_size(LX, LY, 1)))
void gemm_tiled(const int M, const int N, const int K,
                __global const float* A, const int aOff, const int aRs, const int aCs, const int aGroups, const int aGs,
                __global const float* B, const int bOff, const int bRs, const int bCs, const int bBs,
                __global float* C, const int cOff, const int cRs, const int cBs,
                __global const float* bias, const int hasBias, const int biasOff, const int biasRs, const int biasCs,
                const int biasGs,
                __global const float* res, const int hasRes, const int resOff,
                const float alpha, const float beta, const float lo, const float hi) {
    const int tx = get_local_id(0);
    const int ty = get_local_id(1);
    const int tid = ty * LX + tx;
    const int z = get_global_id(2);
    const int group = z % aGroups;
    const int row0 = get_group_id(1) * TM;
    const int col0 = get_group_id(0) * TN;
    __global const float* a = A + aOff + (size_t) group * aGs;
    __global const float* b = B + bOff + (size_t) z * bBs;

    __local float As[TK][TM];
    __local float Bs[TK][TN];
    float acc[RM][RN];
    for (int i = 0; i < RM; i++) {
        for (int j = 0; j < RN; j++) {
            acc[i][j] = 0.0f;
        }
    }

    for (int k0 = 0; k0 < K; k0 += TK) {
        for (int l = tid; l < TM * TK; l += LX * LY) {
            const int m = l / TK;
            const int k = l % TK;
            const int gr = row0 + m;
            const int gk = k0 + k;
            As[k][m] = (gr < M && gk < K) ? a[(size_t) gr * aRs + (size_t) gk * aCs] : 0.0f;
        }
        for (int l = tid; l < TK * TN; l += LX * LY) {
            const int k = l / TN;
            const int n = l % TN;
            const int gk = k0 + k;
            const int gc = col0 + n;
            Bs[k][n] = (gk < K && gc < N) ? b[(size_t) gk * bRs + (size_t) gc * bCs] : 0.0f;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int k = 0; k < TK; k++) {
            float av[RM];
            float bv[RN];
            for (int i = 0; i < RM; i++) {
                av[i] = As[k][ty + i * LY];
            }
            for (int j = 0; j < RN; j++) {
                bv[j] = Bs[k][tx + j * LX];
            }
            for (int i = 0; i < RM; i++) {
                for (int j = 0; j < RN; j++) {
                    acc[i][j] = fma(av[i], bv[j], acc[i][j]);
                }
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }

    __global float* c = C + cOff + (size_t) z * cBs;
    for (int i = 0; i < RM; i++) {
        const int row = row0 + ty + i * LY;
        if (row >= M) {
            continue;
        }
        for (int j = 0; j < RN; j++) {
            const int col = col0 + tx + j * LX;
            if (col >= N) {
                continue;
            }
            float v = alpha * acc[i][j];
            if (hasBias) {
                v += beta * bias[biasOff + (size_t) group * biasGs + (size_t) row * biasRs + (size_t) col * biasCs];
            }
            if (hasRes) {
                v += res[resOff + (size_t) z * cBs + (size_t) row * cRs + col];
            }
            c[(size_t) row * cRs + col] = clamp_nan(v, lo, hi);
        }
    }
}

// The same product for very few rows (a Linear layer on a small batch), where a 64-row tile would be mostly
// padding: one work-group of DOT_LOCAL work-items per element of C. The work-items stride through K (so
// neighbours read neighbouring addresses of A's row and, for a transposed B, of B's column), then add up
// their partial sums in local memory. Same arguments and epilogue as gemm_tiled.
#define DOT_LOCAL 64

__kernel __attribute__((reqd_work_group_size(DOT_LOCAL, 1, 1)))
void gemm_dot(const int M, const int N, const int K,
              __global const float* A, const int aOff, const int aRs, const int aCs, const int aGroups, const int aGs,
              __global const float* B, const int bOff, const int bRs, const int bCs, const int bBs,
              __global float* C, const int cOff, const int cRs, const int cBs,
              __global const float* bias, const int hasBias, const int biasOff, const int biasRs, const int biasCs,
              const int biasGs,
              __global const float* res, const int hasRes, const int resOff,
              const float alpha, const float beta, const float lo, const float hi) {
    const int t = get_local_id(0);
    const int col = get_group_id(0);
    const int row = get_group_id(1);
    const int z = get_global_id(2);
    const int group = z % aGroups;
    __global const float* a = A + aOff + (size_t) group * aGs + (size_t) row * aRs;
    __global const float* b = B + bOff + (size_t) z * bBs + (size_t) col * bCs;
    float sum = 0.0f;
    for (int p = t; p < K; p += DOT_LOCAL) {
        sum = fma(a[(size_t) p * aCs], b[(size_t) p * bRs], sum);
    }
    __local float partial[DOT_LOCAL];
    partial[t] = sum;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int width = DOT_LOCAL / 2; width > 0; width /= 2) {
        if (t < width) {
            partial[t] += partial[t + width];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (t == 0) {
        float v = alpha * partial[0];
        if (hasBias) {
            v += beta * bias[biasOff + (size_t) group * biasGs + (size_t) row * biasRs + (size_t) col * biasCs];
        }
        if (hasRes) {
            v += res[resOff + (size_t) z * cBs + (size_t) row * cRs + col];
        }
        C[cOff + (size_t) z * cBs + (size_t) row * cRs + col] = clamp_nan(v, lo, hi);
    }
}
