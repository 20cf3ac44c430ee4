package org.legodnn.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * One rule for tests that need something a machine may lack (an OpenCL platform, the large reference models), so
 * that a missing prerequisite is never silent: on a developer's machine the test prints one {@code NOT RUN} line
 * naming itself and the reason, and is skipped; where the environment variable that requires it is {@code 1}
 * (CI sets {@code LEGODNN_REQUIRE_OPENCL} and {@code LEGODNN_REQUIRE_REFERENCE}), the test fails instead.
 */
public final class Prerequisite {

    private Prerequisite() {
    }

    /**
     * Returns when {@code missing} is null (the prerequisite is there); otherwise fails or skips the calling test.
     *
     * @param requireEnv the environment variable that, set to {@code 1}, makes a missing prerequisite a failure
     * @param missing    why the prerequisite is missing, or null
     */
    public static void check(String requireEnv, String missing) {
        if (missing == null) {
            return;
        }
        if ("1".equals(System.getenv(requireEnv))) {
            Assertions.fail(requireEnv + "=1 but " + missing);
        }
        System.out.println("NOT RUN " + callingTest() + ": " + missing);
        Assumptions.abort(missing);
    }

    /** {@code Class.method} of the outermost test-class frame: the test method JUnit called, not a helper. */
    private static String callingTest() {
        return StackWalker.getInstance().walk(frames -> frames
                .filter(f -> f.getClassName().endsWith("Test"))
                .reduce((inner, outer) -> outer)
                .map(f -> f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "." + f.getMethodName())
                .orElse("a test"));
    }
}
