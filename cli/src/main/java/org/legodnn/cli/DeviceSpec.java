package org.legodnn.cli;

import org.legodnn.kernels.opencl.OpenClDevice;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Reads a {@code --device} value, so that every command that can work on an OpenCL device ({@code run},
 * {@code bench}, {@code profile}, {@code offline}) accepts the same spellings and rejects a misspelt one with
 * the same usage error (exit 2). Whether the named OpenCL device exists is found out only when it is opened
 * ({@link org.legodnn.kernels.opencl.OpenClDevice#open}): that failure is one line and exit 1.
 */
final class DeviceSpec {

    /** The parameter label of the option in help texts. */
    static final String LABEL = "cpu|opencl[:N|:NAME]";

    private DeviceSpec() {
    }

    /**
     * Whether {@code spec} names an OpenCL device ({@code opencl}, {@code opencl:N}, {@code opencl:NAME}) rather
     * than the CPU ({@code cpu}).
     *
     * @throws ParameterException for anything else, naming the accepted forms
     */
    static boolean isOpenCl(CommandLine cl, String spec) {
        if (spec.equals("cpu")) {
            return false;
        }
        if (spec.equals("opencl") || (spec.startsWith("opencl:") && spec.length() > "opencl:".length())) {
            return true;
        }
        throw new ParameterException(cl, "--device must be cpu, opencl, opencl:N or opencl:NAME, got '" + spec + "'");
    }

    /**
     * Checks {@code spec} as {@link #isOpenCl} does and, for an OpenCL device, that it opens (then closes it), so
     * that a device that is not there fails before long work (retraining, accuracy profiling) rather than after.
     *
     * @throws ParameterException for a misspelt value
     * @throws org.legodnn.kernels.opencl.OpenClException with one line when the device cannot be opened
     */
    static void checkOpens(CommandLine cl, String spec) {
        if (isOpenCl(cl, spec)) {
            OpenClDevice.open(spec).close();
        }
    }
}
