package org.legodnn.kernels.opencl;

import org.jocl.CL;

/**
 * A failure of the OpenCL runtime, said in one line that names what was being done (the kernel, the
 * buffer, the device) and the status code by its name ({@code CL_OUT_OF_RESOURCES}), so that a failed
 * launch on a remote GPU box can be understood from the message alone.
 */
public final class OpenClException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The OpenCL status code, or 0 when the failure is not an OpenCL call's (e.g. no platform). */
    private final int status;

    public OpenClException(String message) {
        super(message);
        this.status = 0;
    }

    public OpenClException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    private OpenClException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** The status code of the failed call (negative), or 0. */
    public int status() {
        return status;
    }

    /** Throws unless {@code status} is {@code CL_SUCCESS}; {@code what} says what was done, e.g. "kernel gemm_tiled". */
    static void check(int status, String what) {
        if (status != CL.CL_SUCCESS) {
            throw failed(status, what);
        }
    }

    /** The exception for a failed call: "OpenCL CL_INVALID_WORK_GROUP_SIZE (-54) in kernel gemm_tiled". */
    static OpenClException failed(int status, String what) {
        return new OpenClException("OpenCL " + statusName(status) + " (" + status + ") in " + what, status);
    }

    /** JOCL's name for a status code, e.g. {@code CL_OUT_OF_RESOURCES}. */
    static String statusName(int status) {
        return CL.stringFor_errorCode(status);
    }
}
