package org.legodnn.kernels.opencl;

import java.util.ArrayList;
import java.util.List;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * Finds the OpenCL devices of this machine through JOCL, turning "JOCL is not on the class path", "no ICD
 * loader" and "no platform" into one-line {@link OpenClException}s. The only place that first touches
 * {@link CL}, whose class initializer loads JOCL's native library (which in turn needs libOpenCL.so.1).
 */
final class OpenClPlatforms {

    static final String NO_PLATFORM = "no OpenCL platform found (install an ICD such as pocl-opencl-icd)";

    /** One device with its handles, in the global listing order. */
    record Found(OpenClDeviceInfo info, cl_platform_id platform, cl_device_id device) {
    }

    private OpenClPlatforms() {
    }

    /** Every device of every platform; empty when there is no platform. Throws only when JOCL cannot load. */
    static List<Found> all() {
        int[] count = new int[1];
        int status;
        try {
            status = CL.clGetPlatformIDs(0, null, count);
        } catch (NoClassDefFoundError e) {
            throw new OpenClException("OpenCL support (JOCL, org.jocl:jocl) is not on the class path", e);
        } catch (UnsatisfiedLinkError | ExceptionInInitializerError e) {
            throw new OpenClException(NO_PLATFORM + ": the OpenCL library could not be loaded (" + firstLine(e) + ")", e);
        }
        // The ICD loader answers CL_PLATFORM_NOT_FOUND_KHR (-1001) when no vendor file names a platform.
        if (status != CL.CL_SUCCESS || count[0] == 0) {
            return List.of();
        }
        cl_platform_id[] platforms = new cl_platform_id[count[0]];
        OpenClException.check(CL.clGetPlatformIDs(platforms.length, platforms, null), "clGetPlatformIDs");
        List<Found> found = new ArrayList<>();
        for (cl_platform_id p : platforms) {
            String platformName = platformString(p, CL.CL_PLATFORM_NAME);
            int[] n = new int[1];
            if (CL.clGetDeviceIDs(p, CL.CL_DEVICE_TYPE_ALL, 0, null, n) != CL.CL_SUCCESS || n[0] == 0) {
                continue;
            }
            cl_device_id[] devices = new cl_device_id[n[0]];
            OpenClException.check(CL.clGetDeviceIDs(p, CL.CL_DEVICE_TYPE_ALL, n[0], devices, null),
                    "clGetDeviceIDs on " + platformName);
            for (cl_device_id d : devices) {
                OpenClDeviceInfo info = new OpenClDeviceInfo(found.size(), platformName,
                        deviceString(d, CL.CL_DEVICE_NAME), typeName(deviceLong(d, CL.CL_DEVICE_TYPE)),
                        deviceString(d, CL.CL_DEVICE_VERSION), (int) deviceInt(d, CL.CL_DEVICE_MAX_COMPUTE_UNITS),
                        deviceLong(d, CL.CL_DEVICE_GLOBAL_MEM_SIZE));
                found.add(new Found(info, p, d));
            }
        }
        return found;
    }

    /**
     * The device that {@code spec} names: {@code "opencl"} (the first device), {@code "opencl:N"} (the N-th
     * over all platforms) or {@code "opencl:TEXT"} (the first whose platform or device name contains TEXT).
     * The {@code opencl} prefix may be left out.
     */
    static Found pick(String spec) {
        List<Found> all = all();
        if (all.isEmpty()) {
            throw new OpenClException(NO_PLATFORM);
        }
        String s = spec == null ? "" : spec.trim();
        if (s.equalsIgnoreCase("opencl")) {
            s = "";
        } else if (s.regionMatches(true, 0, "opencl:", 0, 7)) {
            s = s.substring(7);
        }
        if (s.isEmpty()) {
            return all.get(0);
        }
        if (s.chars().allMatch(Character::isDigit)) {
            int i = Integer.parseInt(s);
            if (i >= all.size()) {
                throw new OpenClException("no OpenCL device " + i + ": there are " + all.size() + " (" + names(all) + ")");
            }
            return all.get(i);
        }
        for (Found f : all) {
            if (f.info().matches(s)) {
                return f;
            }
        }
        throw new OpenClException("no OpenCL device whose name contains '" + s + "' (" + names(all) + ")");
    }

    private static String names(List<Found> all) {
        StringBuilder sb = new StringBuilder();
        for (Found f : all) {
            sb.append(sb.length() == 0 ? "" : "; ").append(f.info().index()).append(": ").append(f.info().name());
        }
        return sb.toString();
    }

    private static String platformString(cl_platform_id p, int param) {
        long[] size = new long[1];
        OpenClException.check(CL.clGetPlatformInfo(p, param, 0, null, size), "clGetPlatformInfo");
        byte[] buf = new byte[(int) size[0]];
        OpenClException.check(CL.clGetPlatformInfo(p, param, buf.length, Pointer.to(buf), null), "clGetPlatformInfo");
        return cString(buf);
    }

    static String deviceString(cl_device_id d, int param) {
        long[] size = new long[1];
        OpenClException.check(CL.clGetDeviceInfo(d, param, 0, null, size), "clGetDeviceInfo");
        byte[] buf = new byte[(int) size[0]];
        OpenClException.check(CL.clGetDeviceInfo(d, param, buf.length, Pointer.to(buf), null), "clGetDeviceInfo");
        return cString(buf);
    }

    static long deviceLong(cl_device_id d, int param) {
        long[] v = new long[1];
        OpenClException.check(CL.clGetDeviceInfo(d, param, Sizeof.cl_ulong, Pointer.to(v), null), "clGetDeviceInfo");
        return v[0];
    }

    static long deviceInt(cl_device_id d, int param) {
        int[] v = new int[1];
        OpenClException.check(CL.clGetDeviceInfo(d, param, Sizeof.cl_uint, Pointer.to(v), null), "clGetDeviceInfo");
        return v[0];
    }

    static long deviceSize(cl_device_id d, int param) {
        long[] v = new long[1];
        OpenClException.check(CL.clGetDeviceInfo(d, param, Sizeof.size_t, Pointer.to(v), null), "clGetDeviceInfo");
        return v[0];
    }

    private static String typeName(long type) {
        if ((type & CL.CL_DEVICE_TYPE_GPU) != 0) {
            return "GPU";
        }
        if ((type & CL.CL_DEVICE_TYPE_CPU) != 0) {
            return "CPU";
        }
        if ((type & CL.CL_DEVICE_TYPE_ACCELERATOR) != 0) {
            return "ACCELERATOR";
        }
        return "OTHER";
    }

    private static String cString(byte[] buf) {
        int len = 0;
        while (len < buf.length && buf[len] != 0) {
            len++;
        }
        return new String(buf, 0, len, java.nio.charset.StandardCharsets.UTF_8).trim();
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
