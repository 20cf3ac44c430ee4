package org.legodnn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The {@code --device} option of the commands that measure block latencies ({@code profile}, {@code offline}),
 * declared once so that both read and check it alike: the optimizer later picks blocks by the latencies of
 * the device named here.
 */
final class LatencyDeviceOption {

    @Option(names = "--device", paramLabel = DeviceSpec.LABEL,
            description = "Where to measure block latencies: cpu (default), or an OpenCL device as for run (opencl,"
                    + " opencl:N, opencl:NAME), so that optimize picks blocks by that device's latencies. A timed call"
                    + " uploads the block's input, runs it on the device and downloads its output. Accuracy is"
                    + " always measured on the CPU.")
    String device = "cpu";

    /** The device, checked as {@link DeviceSpec#checkOpens} does (before any long work starts). */
    String checked(CommandLine cl) {
        DeviceSpec.checkOpens(cl, device);
        return device;
    }
}
