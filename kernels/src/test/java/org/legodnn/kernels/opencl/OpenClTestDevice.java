package org.legodnn.kernels.opencl;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The OpenCL device that the tests share (programs compile once per test JVM). Where no OpenCL platform
 * exists the tests are skipped, unless the environment says {@code LEGODNN_REQUIRE_OPENCL=1} (CI, which
 * installs PoCL): there a missing platform fails them. {@code LEGODNN_OPENCL_DEVICE} picks the device
 * ({@code opencl:1}, {@code opencl:nvidia}); the default is the first.
 */
public final class OpenClTestDevice {

    private static OpenClDevice shared;
    private static OpenClKernels kernels;

    private OpenClTestDevice() {
    }

    /** The shared device, or a skipped (or, when required, failed) test. */
    public static synchronized OpenClDevice get() {
        if (shared == null) {
            String reason = OpenClDevice.unavailableReason();
            if (reason != null) {
                if ("1".equals(System.getenv("LEGODNN_REQUIRE_OPENCL"))) {
                    Assertions.fail("LEGODNN_REQUIRE_OPENCL=1 but " + reason);
                }
                Assumptions.abort("skipped: " + reason);
            }
            String spec = System.getenv("LEGODNN_OPENCL_DEVICE");
            shared = OpenClDevice.open(spec == null || spec.isBlank() ? "opencl" : spec);
        }
        return shared;
    }

    /** Kernels on the shared device. */
    public static synchronized OpenClKernels kernels() {
        if (kernels == null) {
            kernels = new OpenClKernels(get());
        }
        return kernels;
    }
}
