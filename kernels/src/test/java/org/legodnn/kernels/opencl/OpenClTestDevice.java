package org.legodnn.kernels.opencl;

import org.legodnn.testing.Prerequisite;

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
            Prerequisite.check("LEGODNN_REQUIRE_OPENCL", OpenClDevice.unavailableReason());
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
