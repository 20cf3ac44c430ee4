package org.legodnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.legodnn.kernels.opencl.OpenClDevice;
import org.legodnn.testing.Prerequisite;

/**
 * {@code legodnn bench --device opencl} on its cheapest key with one call: the output's shape, not its speed.
 * Skipped where no OpenCL platform exists, unless {@code LEGODNN_REQUIRE_OPENCL=1} (CI, with PoCL), where that
 * fails.
 */
class BenchOpenClCommandTest {

    private static final String[] ONE_QUICK_CALL = {"--warmup", "0", "--warmup-time", "0", "--runs", "1", "--time", "0"};

    @BeforeEach
    void needsOpenCl() {
        Prerequisite.check("LEGODNN_REQUIRE_OPENCL", OpenClDevice.unavailableReason());
    }

    private static CliRun bench(String... args) {
        String[] all = new String[1 + args.length + ONE_QUICK_CALL.length];
        all[0] = "bench";
        System.arraycopy(args, 0, all, 1, args.length);
        System.arraycopy(ONE_QUICK_CALL, 0, all, 1 + args.length, ONE_QUICK_CALL.length);
        return CliRun.of(all);
    }

    @Test
    void jsonIsOneObjectFromKeyToMillisecondsOnTheDevice() throws Exception {
        CliRun r = bench("--json", "--device", "opencl", "--keys", "cifar_resnet20_b1_32");
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.out().strip().lines().count(), "one JSON object on stdout: " + r.out());
        Map<String, Object> result = JSON.std.mapFrom(r.out());
        assertEquals(List.of("cifar_resnet20_b1_32"), List.copyOf(result.keySet()));
        double ms = ((Number) result.get("cifar_resnet20_b1_32")).doubleValue();
        assertTrue(ms > 0 && Double.isFinite(ms), r.out());
        assertTrue(r.err().contains("OpenCL device"), "the device is named on stderr: " + r.err());
    }

    @Test
    void tableNamesTheDevice() {
        CliRun r = bench("--device", "opencl:0", "--keys", "cifar_resnet20_b1_32");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("cifar_resnet20_b1_32 ")), r.out());
        assertTrue(r.out().contains("device: OpenCL device"), r.out());
    }

    @Test
    void aStoreIsServedOnTheDeviceThroughTheSameLowering(@TempDir Path tmp) throws Exception {
        Path store = TinyStore.build(tmp);
        CliRun r = bench("--json", "--device", "opencl", "--store", store.toString(), "--keys",
                "legodnn_served_b1,legodnn_compiled_b1");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> result = JSON.std.mapFrom(r.out());
        assertEquals(List.of("legodnn_served_b1", "legodnn_compiled_b1"), List.copyOf(result.keySet()));
        for (Object ms : result.values()) {
            assertTrue(((Number) ms).doubleValue() > 0, r.out());
        }
    }

    @Test
    void anUnknownDeviceIsOneLineAndExitCodeOne() {
        CliRun r = bench("--device", "opencl:99", "--keys", "cifar_resnet20_b1_32");
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("no OpenCL device 99"), r.err());
    }
}
