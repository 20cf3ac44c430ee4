package org.legodnn.kernels;

/**
 * Whether the SIMD kernels can run in this JVM. They use the JDK's incubating Vector API, which a JVM has only
 * when started with {@code --add-modules=jdk.incubator.vector} (Android and GraalVM native images never have it);
 * without it the engine runs on the scalar device ({@link ScalarBackend}). Asking is safe everywhere: nothing here
 * touches the Vector API unless it is present. {@code -Dlegodnn.simd=false} turns SIMD off where it is present,
 * to compare the two devices or to test the scalar one.
 */
public final class Simd {

    /** The JVM flag that makes the Vector API available. */
    public static final String FLAG = "--add-modules=jdk.incubator.vector";

    private static final boolean PRESENT = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    private static final boolean AVAILABLE = PRESENT && !"false".equalsIgnoreCase(System.getProperty("legodnn.simd"));

    private Simd() {
    }

    /** Whether the SIMD kernels run here. */
    public static boolean available() {
        return AVAILABLE;
    }

    /** The preferred vector width in bits, or 0 on the scalar device. */
    public static int bits() {
        return AVAILABLE ? Width.BITS : 0;
    }

    /** Floats per preferred vector, or 1 on the scalar device. */
    public static int floatLanes() {
        return AVAILABLE ? Width.LANES : 1;
    }

    /** One phrase for reports: the width in use, or why there is none. */
    public static String describe() {
        if (AVAILABLE) {
            return Width.BITS + "-bit SIMD, " + Width.LANES + " float lanes";
        }
        return PRESENT ? "scalar CPU device (SIMD turned off by -Dlegodnn.simd=false)"
                : "scalar CPU device (no Vector API in this JVM; start it with " + FLAG + " for SIMD)";
    }

    /** Loaded only when the Vector API is present. */
    private static final class Width {
        static final int BITS = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
        static final int LANES = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
    }
}
