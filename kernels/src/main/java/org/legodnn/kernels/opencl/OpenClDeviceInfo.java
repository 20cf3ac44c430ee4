package org.legodnn.kernels.opencl;

/**
 * What the command line and the logs say about one OpenCL device, so that a user can pick it by index
 * ({@code opencl:1}) or by a piece of its name ({@code opencl:nvidia}).
 *
 * @param index          the position among all devices of all platforms, in the order the ICD loader lists them
 * @param platform       the platform's name, e.g. "Portable Computing Language" or "NVIDIA CUDA"
 * @param name           the device's name, e.g. "NVIDIA H100 80GB HBM3"
 * @param type           "GPU", "CPU", "ACCELERATOR" or "OTHER"
 * @param version        the device's OpenCL version string
 * @param computeUnits   parallel compute units (SMs on NVIDIA, cores on PoCL)
 * @param globalMemBytes global memory in bytes
 */
public record OpenClDeviceInfo(int index, String platform, String name, String type, String version,
                               int computeUnits, long globalMemBytes) {

    /** Whether {@code needle} (case-insensitive) occurs in the platform or device name. */
    public boolean matches(String needle) {
        String n = needle.toLowerCase(java.util.Locale.ROOT);
        return name.toLowerCase(java.util.Locale.ROOT).contains(n) || platform.toLowerCase(java.util.Locale.ROOT).contains(n);
    }

    /** One line for listings: {@code opencl:0  NVIDIA H100 (GPU, 132 CU, 79.6 GiB) on NVIDIA CUDA}. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "opencl:%d  %s (%s, %d CU, %.1f GiB) on %s", index, name, type,
                computeUnits, globalMemBytes / (1024.0 * 1024 * 1024), platform);
    }
}
