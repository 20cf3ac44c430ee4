package org.legodnn.kernels;

/**
 * Which {@link Backend} the ops use. The CPU backend is the default; another one is installed with
 * {@link #use(Backend)} for the whole process.
 */
public final class Backends {

    private static final Backend CPU = new CpuBackend();
    private static volatile Backend current = CPU;

    private Backends() {
    }

    /** The backend the ops call now. */
    public static Backend current() {
        return current;
    }

    /** The pure-Java SIMD backend, always available. */
    public static Backend cpu() {
        return CPU;
    }

    public static void use(Backend backend) {
        if (backend == null) {
            throw new IllegalArgumentException("backend must not be null");
        }
        current = backend;
    }
}
