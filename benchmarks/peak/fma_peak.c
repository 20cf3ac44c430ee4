/*
 * The FMA ceiling of this machine, measured in C, to compare FmaPeakBenchmark (the same loop written with
 * Java's Vector API) against: 12 independent chains of packed fused multiply-adds per thread, enough to
 * keep two FMA units with a latency of four cycles busy. Prints GFLOP/s (each FMA lane = 2 flops).
 *
 *   gcc -O2 -mavx2 -mfma -pthread -o fma_peak benchmarks/peak/fma_peak.c      # 256-bit (AVX2)
 *   gcc -O2 -mavx512f -pthread -o fma_peak512 benchmarks/peak/fma_peak.c      # 512-bit, where the CPU has it
 *   ./fma_peak [threads]                                                      # default 1
 *
 * Java's FloatVector.SPECIES_PREFERRED takes the widest vectors the CPU offers, so on an AVX-512 machine the
 * 512-bit build is the fair comparison for FmaPeakBenchmark.
 */
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if defined(__AVX512F__)
typedef __m512 vec;
#define LANES 16
#define SET1(x) _mm512_set1_ps(x)
#define FMA(a, b, c) _mm512_fmadd_ps(a, b, c)
#define ADD(a, b) _mm512_add_ps(a, b)
static float first_lane(vec v) { return _mm512_cvtss_f32(v); }
#else
typedef __m256 vec;
#define LANES 8
#define SET1(x) _mm256_set1_ps(x)
#define FMA(a, b, c) _mm256_fmadd_ps(a, b, c)
#define ADD(a, b) _mm256_add_ps(a, b)
static float first_lane(vec v) { return _mm256_cvtss_f32(v); }
#endif

#define ITERATIONS 200000000L

static volatile float input_x = 0.999999f;
static volatile float input_y = 1e-7f;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void *chains(void *result) {
    vec x = SET1(input_x), y = SET1(input_y);
    /* Distinct start values: identical chains would be merged into one by the compiler. */
    vec c0 = SET1(1.00f), c1 = SET1(1.01f), c2 = SET1(1.02f), c3 = SET1(1.03f);
    vec c4 = SET1(1.04f), c5 = SET1(1.05f), c6 = SET1(1.06f), c7 = SET1(1.07f);
    vec c8 = SET1(1.08f), c9 = SET1(1.09f), c10 = SET1(1.10f), c11 = SET1(1.11f);
    for (long i = 0; i < ITERATIONS; i++) {
        c0 = FMA(x, y, c0); c1 = FMA(x, y, c1); c2 = FMA(x, y, c2); c3 = FMA(x, y, c3);
        c4 = FMA(x, y, c4); c5 = FMA(x, y, c5); c6 = FMA(x, y, c6); c7 = FMA(x, y, c7);
        c8 = FMA(x, y, c8); c9 = FMA(x, y, c9); c10 = FMA(x, y, c10); c11 = FMA(x, y, c11);
    }
    vec s = ADD(ADD(ADD(c0, c1), ADD(c2, c3)), ADD(ADD(c4, c5), ADD(c6, c7)));
    s = ADD(s, ADD(ADD(c8, c9), ADD(c10, c11)));
    *(float *) result = first_lane(s);
    return NULL;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 1;
    if (threads < 1 || threads > 256) {
        fprintf(stderr, "usage: %s [threads 1..256]\n", argv[0]);
        return 2;
    }
    pthread_t ids[256];
    float sums[256];
    double start = now();
    for (int t = 0; t < threads; t++) {
        pthread_create(&ids[t], NULL, chains, &sums[t]);
    }
    for (int t = 0; t < threads; t++) {
        pthread_join(ids[t], NULL);
    }
    double seconds = now() - start;
    double flops = (double) ITERATIONS * 12 * LANES * 2 * threads;
    printf("%d-bit FMA, %d thread(s): %.1f GFLOP/s (%.3f s, checksum %g)\n",
           LANES * 32, threads, flops / seconds / 1e9, seconds, sums[0]);
    return 0;
}
