package org.legodnn.core.latency;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.legodnn.core.blocks.Block;
import org.legodnn.core.prune.ComposedModel;
import org.legodnn.core.prune.Descendant;
import org.legodnn.graph.Graph;
import org.legodnn.graph.ValueInfo;
import org.legodnn.graph.exec.opencl.OpenClInterpreter;
import org.legodnn.kernels.opencl.OpenClDevice;
import org.legodnn.tensor.Tensor;

/**
 * Profiling on an OpenCL device, so that the optimizer picks blocks by the latencies of the device the model
 * will run on (a GPU) rather than the CPU's. Every descendant's graph (its current weights) and the whole
 * composed model at descendant 0 ({@link ComposedModel#graph}) are prepared once on the device
 * ({@link OpenClInterpreter}: BatchNorm folded, weights uploaded); a graph the device cannot run fails here,
 * naming the node, before anything is timed.
 *
 * <p>A timed call is what running that piece alone costs a caller: upload its input, run it with every
 * intermediate value in device memory, download its output. Each block thus pays one transfer each way, which
 * inside the whole model it does not; the frame's latency ({@link LatencyProfile#frameMs}) absorbs the
 * difference the way the CPU profile absorbs each block's per-call overhead (clamped at 0).
 */
public final class OpenClProfilingBackend implements ProfilingBackend {

    private final OpenClDevice device;
    private final List<Block> blocks;
    private final List<List<OpenClInterpreter>> descendants = new ArrayList<>();
    private final OpenClInterpreter whole;

    private OpenClProfilingBackend(OpenClDevice device, ComposedModel composed, List<List<Descendant>> descendants) {
        this.device = device;
        this.blocks = composed.blocks();
        try {
            for (List<Descendant> ds : descendants) {
                List<OpenClInterpreter> row = new ArrayList<>();
                this.descendants.add(row);
                for (Descendant d : ds) {
                    row.add(new OpenClInterpreter(openBatch(d.module().graph()), device));
                }
            }
            this.whole = new OpenClInterpreter(openBatch(composed.graph()), device);
        } catch (RuntimeException e) {
            closeGraphs();
            throw e;
        }
    }

    /** {@code g} with its input's batch dimension open, as {@link ComposedModel} runs blocks: any batch fits. */
    private static Graph openBatch(Graph g) {
        ValueInfo in = g.inputs().get(0);
        int[] open = in.shape();
        open[0] = -1;
        return g.withInputShapes(Map.of(in.name(), open));
    }

    /**
     * Opens the OpenCL device that {@code spec} names ({@code opencl}, {@code opencl:N}, {@code opencl:NAME}, as
     * {@link OpenClDevice#open}) and prepares {@code composed} (at descendant 0 everywhere) and every descendant
     * on it. Closing the backend closes the device.
     *
     * @throws org.legodnn.kernels.opencl.OpenClException with one line when the device cannot be opened
     * @throws UnsupportedOperationException naming the first node the device cannot run
     */
    public static OpenClProfilingBackend open(String spec, ComposedModel composed, List<List<Descendant>> descendants) {
        OpenClDevice device = OpenClDevice.open(spec);
        try {
            return new OpenClProfilingBackend(device, composed, descendants);
        } catch (RuntimeException e) {
            device.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "opencl:" + device.info().name();
    }

    @Override
    public Object runBlock(int i, int j, Tensor in) {
        Block b = blocks.get(i);
        return descendants.get(i).get(j).run(Map.of(b.inputValue(), in)).get(b.outputValue());
    }

    @Override
    public Object runWhole(Tensor x) {
        Graph g = whole.graph();
        ValueInfo in = g.inputs().get(0);
        return whole.run(Map.of(in.name(), x)).get(g.outputs().get(0));
    }

    /** Frees every prepared graph and closes the device. */
    @Override
    public void close() {
        closeGraphs();
        device.close();
    }

    private void closeGraphs() {
        for (List<OpenClInterpreter> row : descendants) {
            for (OpenClInterpreter o : row) {
                o.close();
            }
        }
        if (whole != null) {
            whole.close();
        }
    }
}
