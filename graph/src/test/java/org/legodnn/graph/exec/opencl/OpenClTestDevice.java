package org.legodnn.graph.exec.opencl;

import org.legodnn.kernels.opencl.OpenClDevice;
import org.legodnn.testing.Prerequisite;

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
            Prerequisite.check("LEGODNN_REQUIRE_OPENCL", OpenClDevice.unavailableReason());
            String spec = System.getenv("LEGODNN_OPENCL_DEVICE");
            shared = OpenClDevice.open(spec == null || spec.isBlank() ? "opencl" : spec);
        }
        return shared;
    }
}
