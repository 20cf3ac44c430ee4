package org.legodnn;

import java.io.IOException;
import java.nio.file.Path;
import org.legodnn.core.latency.LatencyProfile;
import org.legodnn.core.offline.Profiles;
import org.legodnn.core.offline.StoredBlocks;
import org.legodnn.core.online.BlockSwitcher;
import org.legodnn.core.online.LegoDnnRuntime;
import org.legodnn.core.online.ResidencyPolicy;
import org.legodnn.core.online.ServingPolicy;
import org.legodnn.core.online.StoreDescendants;
import org.legodnn.graph.analysis.GraphAnalysis;
import org.legodnn.graph.exec.CpuExecution;
import org.legodnn.graph.exec.ExecutionDevice;
import org.legodnn.graph.exec.opencl.OpenClExecution;
import org.legodnn.kernels.opencl.OpenClDevice;

/**
 * The library's front door, so that a program serves a LegoDNN model with one call instead of assembling a
 * block switcher, profiles and latency tables itself: it opens a block store written by the offline stage
 * ({@code legodnn offline}) as a running model, every block at its original (sparsity 0) descendant.
 *
 * <pre>{@code
 * LegoDnnRuntime model = LegoDnn.open(Path.of("legodnn-demo/store"));
 * model.update(1.5, 1 << 20);          // the most accurate composition within 1.5 ms and 1 MiB (memory never exceeded)
 * Tensor logits = model.infer(images);  // served by the composition just swapped in
 * }</pre>
 */
public final class LegoDnn {

    private LegoDnn() {
    }

    /**
     * Opens the block store at {@code store} (every file checked against the index's SHA-256) with the default
     * runtime settings ({@link LegoDnnRuntime.Settings#defaults()}); descendants are read when first chosen.
     *
     * @throws IOException when the store is missing, corrupt or written by an incompatible version
     */
    public static LegoDnnRuntime open(Path store) throws IOException {
        return open(store, LegoDnnRuntime.Settings.defaults());
    }

    /**
     * {@link #open(Path)}, serving within {@code policy} from the start: the runtime times what it serves and
     * re-plans when the device gets slower or faster ({@link LegoDnnRuntime#keepWithin}).
     *
     * @throws IOException when the store cannot be opened or a descendant loaded
     */
    public static LegoDnnRuntime open(Path store, ServingPolicy policy) throws IOException {
        LegoDnnRuntime runtime = open(store);
        runtime.keepWithin(policy);
        return runtime;
    }

    /**
     * {@link #open(Path)} with {@code settings}: what memory counts, which budget may be loosened when nothing
     * fits ({@code Settings.defaults().withRelax(RelaxPolicy.MEMORY)} for the original's order), the cost of
     * switching.
     *
     * @throws IOException when the store is missing, corrupt, not yet profiled, or of an incompatible version
     */
    public static LegoDnnRuntime open(Path store, LegoDnnRuntime.Settings settings) throws IOException {
        return open(store, settings, CpuExecution.current());
    }

    /**
     * {@link #open(Path, LegoDnnRuntime.Settings)} serving on {@code device}: {@code "cpu"}, or an OpenCL device
     * ({@code "opencl"}, {@code "opencl:N"}, {@code "opencl:NAME"}), which the runtime opens and closes with
     * itself. The frame and every descendant are compiled for that device, through the same lowering as on the
     * CPU. The store's latency profile was measured where {@code legodnn profile} ran (its {@code --device});
     * {@link LegoDnnRuntime#recalibrate} rescales it to what the model measures here.
     *
     * @throws IOException                   when the store cannot be opened
     * @throws IllegalArgumentException      when {@code device} is neither cpu nor opencl[:N|:NAME]
     * @throws UnsupportedOperationException naming the first node of the model the device cannot run
     */
    public static LegoDnnRuntime open(Path store, LegoDnnRuntime.Settings settings, String device) throws IOException {
        if (device.equals("cpu")) {
            return open(store, settings);
        }
        if (!device.equals("opencl") && !device.startsWith("opencl:")) {
            throw new IllegalArgumentException("LegoDnn.open: device '" + device
                    + "' (expected cpu, opencl, opencl:N or opencl:NAME)");
        }
        OpenClDevice gpu = OpenClDevice.open(device);
        OpenClExecution ocl = new OpenClExecution(gpu);
        try {
            LegoDnnRuntime runtime = open(store, settings, ocl);
            runtime.closeWith(gpu);
            runtime.closeWith(ocl);
            return runtime;
        } catch (IOException | RuntimeException e) {
            ocl.close();
            gpu.close();
            throw e;
        }
    }

    /**
     * {@link #open(Path, LegoDnnRuntime.Settings)} serving on {@code device}, which the caller keeps open while the
     * runtime lives and closes after it.
     *
     * @throws IOException                   when the store cannot be opened
     * @throws UnsupportedOperationException naming the first node of the model the device cannot run
     */
    public static LegoDnnRuntime open(Path store, LegoDnnRuntime.Settings settings, ExecutionDevice device)
            throws IOException {
        StoreDescendants descendants = StoreDescendants.open(store);
        StoredBlocks stored = descendants.store();
        Profiles profiles = stored.profiles();
        LatencyProfile latency = stored.latency();
        if (profiles == null || latency == null) {
            throw new IOException("block store " + store + " has no " + (profiles == null ? "accuracy profiles"
                    : "latency profile") + " yet: run `legodnn profile --store " + store + "` first");
        }
        BlockSwitcher switcher = new BlockSwitcher(descendants, ResidencyPolicy.selectedOnly(), device,
                new int[descendants.blocks().size()]);
        return new LegoDnnRuntime(switcher, profiles, latency, GraphAnalysis.peakActivationBytes(descendants.model()),
                settings);
    }
}
