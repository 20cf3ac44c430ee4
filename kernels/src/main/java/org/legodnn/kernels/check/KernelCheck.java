package org.legodnn.kernels.check;

/**
 * One randomized comparison of a SIMD kernel against its plain scalar reference. Checks live in the main
 * code, not only in the tests, so that {@code bin/legodnn selftest} can run them from the built jar on any
 * machine (an ARM board, or an arm64 JVM under qemu).
 */
public interface KernelCheck {

    /** What is checked, e.g. {@code "gemm"}. */
    String name();

    /**
     * Runs the comparison on many shapes drawn from {@code seed} (odd sizes, tails shorter than a vector,
     * size-1 edges) and throws {@link AssertionError} naming the shape and the worst element on a mismatch.
     */
    void run(long seed);
}
