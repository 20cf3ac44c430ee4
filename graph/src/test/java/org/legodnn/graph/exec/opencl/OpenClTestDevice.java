package org.legodnn.graph.exec.opencl;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.legodnn.kernels.opencl.OpenClDevice;

/**
 * The OpenCL device that the graph tests share (programs compile once per test JVM). Where no OpenCL
 * platform exists the tests are skipped, unless the environment says {@code LEGODNN_REQUIRE_OPENCL=1} (CI,
 * which installs PoCL): there a missing platform fails them. {@code LEGODNN_OPENCL_DEVICE} picks the device.
 */
final class OpenClTestDevice {

    private static OpenClDevice shared;

    private OpenClTestDevice() {
    }

    static synchronized OpenClDevice get() {
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
}
