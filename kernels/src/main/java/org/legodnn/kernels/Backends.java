package org.legodnn.kernels;

/**
 * Which {@link Backend} the ops use: the SIMD CPU device where the Vector API is available ({@link Simd}), else
 * the scalar CPU device, announced by one line on stderr. Another backend is installed with {@link #use(Backend)}
 * for the whole process (tests run a model on the scalar device that way).
 */
public final class Backends {

    private static final Backend SCALAR = new ScalarBackend();
    private static final Backend CPU = Simd.available() ? new CpuBackend() : announceScalar();
    private static volatile Backend current = CPU;

    private Backends() {
    }

    /** The backend the ops call now. */
    public static Backend current() {
        return current;
    }

    /** The CPU device of this JVM: SIMD where the Vector API is available, scalar otherwise. */
    public static Backend cpu() {
        return CPU;
    }

    /** The scalar CPU device (the kernels' plain references), available everywhere. */
    public static Backend scalar() {
        return SCALAR;
    }

    public static void use(Backend backend) {
        if (backend == null) {
            throw new IllegalArgumentException("backend must not be null");
        }
        current = backend;
    }

    private static Backend announceScalar() {
        System.err.println("legodnn: running on the " + Simd.describe());
        return SCALAR;
    }
}
