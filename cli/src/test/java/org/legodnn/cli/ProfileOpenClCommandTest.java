package org.legodnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.legodnn.core.latency.LatencyProfile;
import org.legodnn.core.offline.BlockStore;
import org.legodnn.kernels.opencl.OpenClDevice;
import org.legodnn.nn.models.CifarResNet;
import org.legodnn.nn.train.Checkpoint;
import org.legodnn.testing.Prerequisite;

/**
 * {@code legodnn profile --device opencl}: block latencies measured on the OpenCL device land in the store, and
 * {@code optimize} then works from them. The OpenCL part is skipped where no platform exists, unless
 * {@code LEGODNN_REQUIRE_OPENCL=1} (CI, with PoCL), where that fails.
 */
class ProfileOpenClCommandTest {

    @TempDir
    Path tmp;

    @Test
    void latenciesMeasuredOnTheDeviceReachTheOptimizer() throws Exception {
        Prerequisite.check("LEGODNN_REQUIRE_OPENCL", OpenClDevice.unavailableReason());
        Path weights = tmp.resolve("resnet8.safetensors");
        Checkpoint.writeWeights(weights, new CifarResNet(8, 1, 10), Map.of());
        Path store = tmp.resolve("store");
        CliRun e = CliRun.of("extract", "--model", "cifar_resnet8", "--weights", weights.toString(), "--dataset",
                "fashion-mnist", "--sparsities", "0,0.5", "--out", store.toString());
        assertEquals(0, e.code(), e.err());
        CliRun p = CliRun.of("profile", "--store", store.toString(), "--test-limit", "16", "--threads", "1",
                "--device", "opencl");
        assertEquals(0, p.code(), p.err());
        LatencyProfile latency = BlockStore.read(store).latency();
        assertTrue(latency.backend().startsWith("opencl:"), latency.backend());
        assertTrue(p.err().contains("on OpenCL device opencl"), "the progress says where: " + p.err());
        assertTrue(p.out().contains(latency.backend()), "the table says where: " + p.out());
        CliRun o = CliRun.of("optimize", "--profiles", store.toString(), "--latency-ms", "1000", "--memory-mb", "100");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("latencies measured on " + latency.backend()), o.out());
    }

    @Test
    void aMisspeltDeviceIsAUsageError() {
        CliRun r = CliRun.of("profile", "--store", tmp.resolve("none").toString(), "--device", "gpu");
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("--device must be cpu, opencl"), r.err());
    }
}
