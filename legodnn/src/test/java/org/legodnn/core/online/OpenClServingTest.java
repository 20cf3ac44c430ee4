package org.legodnn.core.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
import org.legodnn.tensor.Tensor;
import org.legodnn.testing.Prerequisite;

/**
 * LegoDNN served on an OpenCL device (PoCL in CI) through the same lowering as on the CPU: every output
 * matches the composition it reports, while another thread switches, and device memory is given back when
 * compositions are retired and when the switcher closes. Skipped where no OpenCL platform exists, unless
 * {@code LEGODNN_REQUIRE_OPENCL=1}.
 */
class OpenClServingTest {

    @Test
    void servesSwitchesAndFreesOnTheDevice() throws Exception {
        Prerequisite.check("LEGODNN_REQUIRE_OPENCL", OpenClDevice.unavailableReason());
        Graph model = Tracer.trace(new CifarResNet(8, 1, 10), 1, 1, 16, 16);
        List<Block> blocks = BlockExtractor.extract(model);
        List<List<Descendant>> descendants = Descendants.of(model, blocks, new double[] {0.0, 0.5},
                PruningCriterion.L1_NORM);
        ComposedModel reference = new ComposedModel(model, blocks, descendants);
        Tensor x = Tensor.randn(new Random(9), 2, 1, 16, 16);
        int n = blocks.size();
        try (OpenClDevice device = OpenClDevice.open("opencl")) {
            long before = device.allocatedBytes();
            OpenClExecution ocl = new OpenClExecution(device);
            BlockSwitcher sw = new BlockSwitcher(new ResidentDescendants(model, blocks, descendants),
                    ResidencyPolicy.selectedOnly(), ocl, new int[n]);
            assertTrue(device.allocatedBytes() > before, "weights live on the device");
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<List<InferenceResult>> reader = pool.submit(() -> {
                    List<InferenceResult> seen = new ArrayList<>();
                    while (!stop.get() || seen.size() < 20) {
                        seen.add(sw.inferTagged(x));
                    }
                    return seen;
                });
                Future<?> switcher = pool.submit(() -> {
                    for (int k = 0; k < 30; k++) {
                        int[] s = new int[n];
                        for (int i = 0; i < n; i++) {
                            s[i] = (k >> i) & 1;
                        }
                        sw.switchTo(s);
                    }
                    return null;
                });
                switcher.get(5, TimeUnit.MINUTES);
                stop.set(true);
                for (InferenceResult r : reader.get(5, TimeUnit.MINUTES)) {
                    Tensor expected = reference.select(r.selection()).forward(x);
                    DeviceResults.assertClose(expected, r.output());
                }
            } finally {
                stop.set(true);
                pool.shutdownNow();
            }
            sw.close();
            ocl.close();
            device.trimPool();
            // All that stays is the device's own one-float placeholder for absent optional kernel arguments.
            assertEquals(before + Float.BYTES, device.allocatedBytes(), "closing the switcher frees its weights and buffers");
            assertThrows(IllegalStateException.class, () -> sw.infer(x));
        }
    }
}
