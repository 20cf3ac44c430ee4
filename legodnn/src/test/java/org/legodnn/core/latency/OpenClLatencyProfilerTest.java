package org.legodnn.core.latency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.legodnn.core.DeviceResults;
import org.legodnn.core.blocks.Block;
import org.legodnn.core.blocks.BlockExtractor;
import org.legodnn.core.prune.ComposedModel;
import org.legodnn.core.prune.Descendant;
import org.legodnn.core.prune.Descendants;
import org.legodnn.core.prune.PruningCriterion;
import org.legodnn.graph.Graph;
import org.legodnn.graph.exec.opencl.OpenClExecution;
import org.legodnn.graph.trace.Tracer;
import org.legodnn.kernels.opencl.OpenClDevice;
import org.legodnn.nn.models.CifarResNet;
import org.legodnn.nn.train.TaskProgress;
import org.legodnn.tensor.Tensor;
import org.legodnn.testing.Prerequisite;

/**
 * Latency profiling on an OpenCL device (PoCL in CI) of a CIFAR ResNet-8 on 1×28×28 with two descendants per
 * block: the profile's structure and its backend, and that the device computes what the CPU does; never
 * timing relations. Skipped where no OpenCL platform exists, unless {@code LEGODNN_REQUIRE_OPENCL=1}.
 */
class OpenClLatencyProfilerTest {

    private static final double[] SPARSITIES = {0.0, 0.5};

    private static void needsOpenCl() {
        Prerequisite.check("LEGODNN_REQUIRE_OPENCL", OpenClDevice.unavailableReason());
    }

    @Test
    void everyDescendantIsMeasuredOnTheDeviceAndComputesWhatTheCpuDoes() {
        needsOpenCl();
        Graph model = Tracer.trace(new CifarResNet(8, 1, 10), 1, 1, 28, 28);
        List<Block> blocks = BlockExtractor.extract(model);
        List<List<Descendant>> descendants = Descendants.of(model, blocks, SPARSITIES, PruningCriterion.L1_NORM);
        LatencyProfiler.Settings settings = new LatencyProfiler.Settings(1, 3, 200, 0, 7);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        LatencyProfile p = LatencyProfiler.profile(model, blocks, descendants, settings,
                TaskProgress.notesOn(new PrintStream(log, true, StandardCharsets.UTF_8)), "opencl");

        assertTrue(p.backend().startsWith("opencl:"), p.backend());
        assertEquals(blocks.size(), p.blockCount());
        for (int i = 0; i < blocks.size(); i++) {
            assertEquals(SPARSITIES.length, p.descendantCount(i), "block " + i);
            for (int j = 0; j < SPARSITIES.length; j++) {
                LatencyStats s = p.stats(i, j);
                assertEquals(3, s.samples(), s.toString());
                assertTrue(s.medianMs() > 0 && Double.isFinite(s.medianMs()), s.toString());
            }
        }
        assertTrue(p.wholeMs() > 0 && p.frameMs() >= 0);
        assertEquals(p, LatencyProfileJson.read(LatencyProfileJson.write(p)), "the device is stored with the profile");
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("JIT warm-up on opencl:") && text.contains("latency whole model"), text);

        // What is timed is the real computation: a pruned block and the whole model, device against CPU.
        ComposedModel composed = new ComposedModel(model, blocks, descendants);
        Tensor in = Tensor.randn(new Random(3), blocks.get(0).inputShape());
        Tensor x = Tensor.randn(new Random(4), 1, 1, 28, 28);
        try (OpenClDevice device = OpenClDevice.open("opencl"); OpenClExecution ocl = new OpenClExecution(device);
             ProfilingBackend gpu = new CompiledProfilingBackend(composed, ocl, ocl.name())) {
            CompiledProfilingBackend cpu = new CompiledProfilingBackend(composed);
            DeviceResults.assertClose((Tensor) cpu.runBlock(0, 1, in), (Tensor) gpu.runBlock(0, 1, in));
            DeviceResults.assertClose((Tensor) cpu.runWhole(x), (Tensor) gpu.runWhole(x));
        }
        assertThrows(IllegalArgumentException.class,
                () -> LatencyProfiler.profile(model, blocks, descendants, settings, null, "gpu"));
    }
}
