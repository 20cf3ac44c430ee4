package org.legodnn.kernels.opencl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;

/**
 * One OpenCL C source file (a resource beside this class, e.g. {@code gemm.cl}) compiled for one device,
 * with its kernel objects made on first use. A device compiles each file once ({@link OpenClDevice} keeps
 * them); a compiler error carries the build log, which is where OpenCL says what is wrong.
 */
final class OpenClProgram implements AutoCloseable {

    /** Compiler options: strict IEEE float (no fast-relaxed math), so that results follow the CPU path. */
    private static final String OPTIONS = "-cl-std=CL1.2";

    private final String file;
    private final cl_program program;
    private final Map<String, cl_kernel> kernels = new HashMap<>();

    private OpenClProgram(String file, cl_program program) {
        this.file = file;
        this.program = program;
    }

    /** Reads {@code file} from this package's resources and builds it for {@code device}. */
    static OpenClProgram build(cl_context context, cl_device_id device, String file) {
        String source = source(file);
        int[] status = new int[1];
        // No lengths: the source is passed NUL-terminated (a char count would cut off UTF-8 text).
        cl_program p = CL.clCreateProgramWithSource(context, 1, new String[] {source}, null, status);
        OpenClException.check(status[0], "clCreateProgramWithSource(" + file + ")");
        int built = CL.clBuildProgram(p, 1, new cl_device_id[] {device}, OPTIONS, null, null);
        if (built != CL.CL_SUCCESS) {
            String log = buildLog(p, device);
            CL.clReleaseProgram(p);
            throw new OpenClException("OpenCL " + OpenClException.statusName(built) + " (" + built + ") building "
                    + file + ": " + log.strip().replace('\n', ' '));
        }
        return new OpenClProgram(file, p);
    }

    /** The kernel {@code name} of this program; the same object on every call (not for concurrent use). */
    cl_kernel kernel(String name) {
        cl_kernel k = kernels.get(name);
        if (k == null) {
            int[] status = new int[1];
            k = CL.clCreateKernel(program, name, status);
            OpenClException.check(status[0], "clCreateKernel(" + name + ") of " + file);
            kernels.put(name, k);
        }
        return k;
    }

    @Override
    public void close() {
        for (cl_kernel k : kernels.values()) {
            CL.clReleaseKernel(k);
        }
        kernels.clear();
        CL.clReleaseProgram(program);
    }

    static String source(String file) {
        try (InputStream in = OpenClProgram.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new OpenClException("OpenCL source " + file + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OpenClException("cannot read OpenCL source " + file + ": " + e.getMessage(), e);
        }
    }

    private static String buildLog(cl_program p, cl_device_id device) {
        long[] size = new long[1];
        CL.clGetProgramBuildInfo(p, device, CL.CL_PROGRAM_BUILD_LOG, 0, null, size);
        byte[] buf = new byte[(int) Math.max(1, size[0])];
        CL.clGetProgramBuildInfo(p, device, CL.CL_PROGRAM_BUILD_LOG, buf.length, Pointer.to(buf), null);
        int len = 0;
        while (len < buf.length && buf[len] != 0) {
            len++;
        }
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }
}
